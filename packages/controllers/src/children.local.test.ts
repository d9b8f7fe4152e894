// Parents and their children on workers: a launcher adopts the children its
// processes launch (checkpoints them, hands them over with their parent), and a
// parent pauses, plays and kills its children — locally, and after it was
// continued by another worker, by RPC through the handles the launcher gives it.
import { LocalCommunicator, type Communicator } from '@plumpy-ts/communicator';
import { InMemoryPersister, type Checkpointable } from '@plumpy-ts/persistence';
import { KilledError, ProcessState, type AnyProcess } from '@plumpy-ts/process';
import type { WorkChain } from '@plumpy-ts/workchain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParentOfSignalled, type SignalledChild } from './__tests__/processes.js';
import { deferred, recordingLogger, until, whenBroadcast, type Deferred } from './__tests__/support.js';
import { newPid } from './new-pid.js';
import { processOutcome } from './process-end.js';
import { HANDOVER_PAUSE_MESSAGE, ProcessLauncher } from './process-launcher.js';
import { RemoteProcessController } from './remote-process-controller.js';
import { parseTaskBody } from './task-bodies.js';

const WAITING = /^state_changed\.running\.waiting$/;

function runningProcess(launcher: ProcessLauncher, pid: string): AnyProcess {
  const process = launcher.runningProcesses.find((p) => String(p.pid) === pid);
  if (process === undefined) throw new Error(`${pid} does not run on this launcher`);
  return process;
}

/**
 * Subscribes `launcher` to `communicator`, resolving `continued(pid)` once it
 * has taken a continue task for `pid` (with nowait: once the process runs there).
 */
function subscribeObserved(
  communicator: Communicator,
  launcher: ProcessLauncher,
): { continued: (pid: string) => Promise<void> } {
  const waits = new Map<string, Deferred<void>>();
  const waitFor = (pid: string): Deferred<void> => {
    let wait = waits.get(pid);
    if (wait === undefined) waits.set(pid, (wait = deferred()));
    return wait;
  };
  communicator.addTaskSubscriber(async (c, task) => {
    const answer = await launcher.handle(c, task);
    const body = parseTaskBody(task);
    if (body.task === 'continue') waitFor(body.args.pid).resolve();
    return answer;
  });
  return { continued: (pid) => waitFor(pid).promise };
}

/** A persister that remembers, by pid, the paused flag, status and state of every checkpoint saved. */
class ObservedPersister extends InMemoryPersister {
  readonly saved = new Map<string, { paused: boolean; status: string | undefined; state: string }[]>();

  override saveCheckpoint(process: Checkpointable, tag?: string): Promise<void> {
    const { pid, paused, status, state } = process as unknown as AnyProcess;
    const list = this.saved.get(String(pid)) ?? [];
    list.push({ paused, status, state });
    this.saved.set(String(pid), list);
    return super.saveCheckpoint(process, tag);
  }
}

describe('children of launched processes', () => {
  let communicator: LocalCommunicator;
  let persister: ObservedPersister;
  let controller: RemoteProcessController;
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(() => {
    logger = recordingLogger();
    communicator = new LocalCommunicator();
    persister = new ObservedPersister();
    controller = new RemoteProcessController(communicator);
  });

  afterEach(async () => {
    await communicator.close();
    // Nothing went wrong on the way (e.g. a child that could not be paused or played).
    expect(logger.lines.filter((line) => line.startsWith('error') || line.startsWith('warn'))).toEqual([]);
  });

  /** Launches a ParentOfSignalled (persisted, nowait); resolves once its child waits. */
  async function launchParent(options: { nowait: boolean }): Promise<{ pid: string; childPid: string; outcome: Promise<unknown> }> {
    const pid = newPid();
    const childPid = ParentOfSignalled.childPid(pid);
    const childWaits = whenBroadcast(communicator, childPid, WAITING);
    let outcome: Promise<unknown>;
    if (options.nowait) {
      await controller.launchProcess(ParentOfSignalled, { persist: true, nowait: true, pid });
      outcome = processOutcome(communicator, pid, { persister });
    } else {
      outcome = controller.launchProcess(ParentOfSignalled, { persist: true, pid });
    }
    outcome.catch(() => undefined);
    await childWaits;
    return { pid, childPid, outcome };
  }

  it('are checkpointed like their parent, paused and played with it', async () => {
    const launcher = new ProcessLauncher({ persister, logger });
    communicator.addTaskSubscriber(launcher.handle);
    const { pid, childPid, outcome } = await launchParent({ nowait: true });
    expect(launcher.runningCount).toBe(2);
    const child = runningProcess(launcher, childPid) as SignalledChild;

    expect(await controller.pauseProcess(pid, 'hold on')).toBe(true);
    expect(child.paused).toBe(true);
    expect(await controller.getStatus(childPid)).toMatchObject({ paused: true, state: ProcessState.WAITING });
    expect(await controller.playProcess(pid)).toBe(true);
    expect(child.paused).toBe(false);

    child.resume(21);
    expect(await outcome).toEqual({ child: { doubled: 42 } });
    // Both were checkpointed to the end.
    const last = (await persister.loadCheckpoint(childPid)).unbundle<AnyProcess>();
    expect(last.state).toBe(ProcessState.FINISHED);
    expect(last.outputs).toEqual({ doubled: 42 });
    expect(launcher.runningCount).toBe(0);
  });

  it('are killed with their parent', async () => {
    const launcher = new ProcessLauncher({ persister, logger });
    communicator.addTaskSubscriber(launcher.handle);
    const { pid, childPid, outcome } = await launchParent({ nowait: true });
    const childOutcome = processOutcome(communicator, childPid, { persister });
    childOutcome.catch(() => undefined); // it may reject before the assertions below attach
    expect(await controller.killProcess(pid, 'enough')).toBe(true);
    await expect(childOutcome).rejects.toBeInstanceOf(KilledError);
    await expect(childOutcome).rejects.toThrow('enough');
    await expect(outcome).rejects.toThrow('enough');
  });

  it('keep their last checkpoint when the launcher deletes checkpoints at the end', async () => {
    const launcher = new ProcessLauncher({ persister, logger, deleteCheckpointsOnEnd: true });
    communicator.addTaskSubscriber(launcher.handle);
    const { pid, childPid, outcome } = await launchParent({ nowait: false });
    (runningProcess(launcher, childPid) as SignalledChild).resume(5);
    expect(await outcome).toEqual({ child: { doubled: 10 } });
    expect(await persister.getProcessCheckpoints(pid)).toEqual([]);
    const last = (await persister.loadCheckpoint(childPid)).unbundle<AnyProcess>();
    expect(last.outputs).toEqual({ doubled: 10 });
  });

  it('of a process that is not persisted are not checkpointed', async () => {
    const launcher = new ProcessLauncher({ persister, logger });
    communicator.addTaskSubscriber(launcher.handle);
    const pid = newPid();
    const childPid = ParentOfSignalled.childPid(pid);
    const childWaits = whenBroadcast(communicator, childPid, WAITING);
    const outcome = controller.launchProcess(ParentOfSignalled, { pid });
    await childWaits;
    (runningProcess(launcher, childPid) as SignalledChild).resume(1);
    expect(await outcome).toEqual({ child: { doubled: 2 } });
    expect(persister.saved.size).toBe(0);
  });

  describe('on a worker that stops', () => {
    let first: ProcessLauncher;
    let second: ProcessLauncher;
    let continued: (pid: string) => Promise<void>;

    beforeEach(() => {
      first = new ProcessLauncher({ persister, logger });
      second = new ProcessLauncher({ persister, logger });
      communicator.addTaskSubscriber(first.handle);
      ({ continued } = subscribeObserved(communicator, second));
    });

    it('are handed over with their parent; the other worker finishes both', async () => {
      const { pid, childPid, outcome } = await launchParent({ nowait: false });
      expect(first.runningCount).toBe(2);
      const childOnSecond = continued(childPid);

      await first.stop();
      expect(first.runningCount).toBe(0);
      // Both were checkpointed paused for the hand-over (the second worker may have continued them since).
      const handedOver = { paused: true, status: HANDOVER_PAUSE_MESSAGE, state: ProcessState.WAITING };
      expect(persister.saved.get(pid)).toContainEqual(handedOver);
      expect(persister.saved.get(childPid)).toContainEqual(handedOver);

      await childOnSecond;
      const child = runningProcess(second, childPid) as SignalledChild;
      expect(child.paused).toBe(false);
      child.resume(21);
      // The parent (its launch task went to the second worker) gets the child's outputs in ctx.
      expect(await outcome).toEqual({ child: { doubled: 42 } });
      expect(second.runningCount).toBe(0);
    });

    it('are paused, played and killed by RPC by their parent continued on the other worker', async () => {
      const { pid, childPid, outcome } = await launchParent({ nowait: true });
      const parentOnSecond = continued(pid);
      const childOnSecond = continued(childPid);
      await first.stop();
      await Promise.all([parentOnSecond, childOnSecond]);
      const parent = runningProcess(second, pid) as WorkChain;
      const child = runningProcess(second, childPid);
      // The recreated parent follows its child by pid, through a handle.
      expect(parent.runningChildren).toEqual([]);
      expect(parent.remoteChildren).toHaveLength(1);
      expect(parent.paused || child.paused).toBe(false);

      expect(await controller.pauseProcess(pid, 'hold on')).toBe(true);
      await until(child, () => child.paused);
      expect(child.status).toBe('hold on');
      expect(await controller.playProcess(pid)).toBe(true);
      await until(child, () => !child.paused);

      const childOutcome = processOutcome(communicator, childPid, { persister });
    childOutcome.catch(() => undefined); // it may reject before the assertions below attach
      expect(await controller.killProcess(pid, 'enough')).toBe(true);
      await expect(childOutcome).rejects.toThrow('enough');
      await expect(outcome).rejects.toThrow('enough');
    });
  });
});
