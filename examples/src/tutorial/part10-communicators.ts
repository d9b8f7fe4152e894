/** Tutorial part 10: communicators and controllers, on the in-process LocalCommunicator. */
import * as plumpy from 'plumpy-ts';
import { ControlledWorkChain, SimpleProcess } from './controlled-workchain.js';

/**
 * The part-10 walk-through against any communicator. When `launcherHere` is
 * false, a worker elsewhere (another OS process) must be running a ProcessLauncher.
 */
export async function communicatorsAndControllers(
  communicator: plumpy.Communicator,
  { launcherHere }: { launcherHere: boolean },
): Promise<void> {
  const proc = new SimpleProcess({ communicator });
  console.log(await communicator.rpcSend(String(proc.pid), plumpy.MessageBuilder.status()));
  await proc.kill('tutorial done with it');

  if (launcherHere) communicator.addTaskSubscriber(new plumpy.ProcessLauncher().handle);
  const controller = new plumpy.RemoteProcessController(communicator);
  console.log(await controller.launchProcess(ControlledWorkChain));
  console.log(await controller.launchProcess(ControlledWorkChain, { nowait: true }));
}

export async function main(): Promise<void> {
  const communicator = new plumpy.LocalCommunicator();
  try {
    await communicatorsAndControllers(communicator, { launcherHere: true });
  } finally {
    await communicator.close();
  }
}
