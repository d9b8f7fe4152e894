import { LocalCommunicator } from '@plumpy-ts/communicator';
import { InMemoryPersister } from '@plumpy-ts/persistence';
import { KilledError, ProcessState } from '@plumpy-ts/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Doubler, FailingProcess, WaitForSignalProcess } from './__tests__/processes.js';
import { recordingLogger } from './__tests__/support.js';
import { ProcessEndedError } from './errors.js';
import { newPid } from './new-pid.js';
import { outcomeOf, processOutcome, waitForProcessEnd } from './process-end.js';
import { ProcessLauncher } from './process-launcher.js';
import { RemoteProcess } from './remote-process.js';
import { RemoteProcessController } from './remote-process-controller.js';

describe('waitForProcessEnd', () => {
  let communicator: LocalCommunicator;

  beforeEach(() => {
    communicator = new LocalCommunicator();
  });

  afterEach(async () => {
    await communicator.close();
  });

  it("learns of a running process's end from its state_changed broadcast", async () => {
    const proc = new WaitForSignalProcess({ communicator });
    proc.stepUntilTerminated().catch(() => undefined);
    const end = waitForProcessEnd(communicator, proc.pid);
    await new Promise((resolve) => setImmediate(resolve));
    proc.resume();
    expect(await end).toEqual({ pid: String(proc.pid), state: ProcessState.FINISHED });
  });

  it('sees a kill, and processOutcome rejects with KilledError carrying the message', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger: recordingLogger() });
    communicator.addTaskSubscriber(launcher.handle);
    const controller = new RemoteProcessController(communicator);
    const pid = await controller.launchProcess(WaitForSignalProcess, { persist: true, nowait: true });
    const outcome = processOutcome(communicator, pid, { persister });
    outcome.catch(() => undefined); // it may reject before the assertions below attach
    await controller.killProcess(pid, 'stop it');
    await expect(outcome).rejects.toBeInstanceOf(KilledError);
    await expect(outcome).rejects.toThrow('stop it');
  });

  it('reads the outputs and failures from the last checkpoint', async () => {
    const persister = new InMemoryPersister();
    communicator.addTaskSubscriber(new ProcessLauncher({ persister, logger: recordingLogger() }).handle);
    const controller = new RemoteProcessController(communicator);
    const ok = await controller.launchProcess(Doubler, { inputs: { a: 3 }, persist: true, nowait: true });
    expect(await waitForProcessEnd(communicator, ok, { persister })).toEqual({
      pid: ok,
      state: ProcessState.FINISHED,
      outputs: { doubled: 6 },
    });
    const bad = await controller.launchProcess(FailingProcess, { persist: true, nowait: true });
    const failure = processOutcome(communicator, bad, { persister });
    await expect(failure).rejects.toBeInstanceOf(ProcessEndedError);
    await expect(failure).rejects.toThrow('it went wrong on purpose');
  });

  it('knows of an end that came before the wait, from the checkpoint', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger: recordingLogger() });
    const controller = new RemoteProcessController(communicator);
    communicator.addTaskSubscriber(launcher.handle);
    const pid = newPid();
    await controller.launchProcess(Doubler, { inputs: { a: 1 }, persist: true, pid });
    expect(await processOutcome(communicator, pid, { persister })).toEqual({ doubled: 2 });
  });

  it('stops waiting when its signal aborts', async () => {
    const abort = new AbortController();
    const waiting = waitForProcessEnd(communicator, newPid(), { signal: abort.signal });
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('outcomeOf turns an end into outputs or the matching error', () => {
    expect(outcomeOf({ pid: 'p', state: 'finished', outputs: { a: 1 } })).toEqual({ a: 1 });
    expect(outcomeOf({ pid: 'p', state: 'finished' })).toEqual({});
    expect(() => outcomeOf({ pid: 'p', state: 'killed', message: 'x' })).toThrow(KilledError);
    expect(() => outcomeOf({ pid: 'p', state: 'excepted', message: 'y' })).toThrow(ProcessEndedError);
  });
});

describe('RemoteProcess', () => {
  let communicator: LocalCommunicator;

  beforeEach(() => {
    communicator = new LocalCommunicator();
  });

  afterEach(async () => {
    await communicator.close();
  });

  it('controls a process by pid and settles with its outcome', async () => {
    const persister = new InMemoryPersister();
    communicator.addTaskSubscriber(new ProcessLauncher({ persister, logger: recordingLogger() }).handle);
    const controller = new RemoteProcessController(communicator);
    const pid = await controller.launchProcess(WaitForSignalProcess, { persist: true, nowait: true });
    const child = new RemoteProcess(communicator, pid, { persister });
    const future = child.future();
    expect(child.future()).toBe(future);
    expect(await child.pause('parent paused')).toBe(true);
    expect(await child.getStatus()).toMatchObject({ paused: true });
    expect(await child.play()).toBe(true);
    expect(child.hasTerminated()).toBe(false);
    expect(await child.kill('parent killed')).toBe(true);
    await expect(future).rejects.toThrow('parent killed');
    expect(child.hasTerminated()).toBe(true);
    expect(child.end).toMatchObject({ state: 'killed', message: 'parent killed' });
  });
});
