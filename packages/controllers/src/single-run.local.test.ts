/**
 * A pid never runs twice at once: tasks for a process that runs already (here
 * or on another launcher) follow it instead of starting a second copy.
 */
import { LocalCommunicator, TaskRejected } from '@plumpy-ts/communicator';
import { InMemoryPersister } from '@plumpy-ts/persistence';
import { ProcessState } from '@plumpy-ts/process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatedWorkChain, SlowWorkChain } from './__tests__/processes.js';
import { deferred, recordingLogger } from './__tests__/support.js';
import { newPid } from './new-pid.js';
import { ProcessLauncher } from './process-launcher.js';
import { RemoteProcessController } from './remote-process-controller.js';
import { createContinueBody, createLaunchBody } from './task-bodies.js';

/** Resolves once the chain `pid` has begun its gated step s2 (s1 is recorded). */
async function inStepTwo(pid: string): Promise<void> {
  await vi.waitFor(() => expect(GatedWorkChain.executions.get(pid)).toEqual(['s1']), { timeout: 10_000, interval: 5 });
}

describe('ProcessLauncher: no duplicate runs', () => {
  let communicator: LocalCommunicator;
  const logger = recordingLogger();

  beforeEach(() => {
    communicator = new LocalCommunicator();
    GatedWorkChain.executions.clear();
    GatedWorkChain.gate = undefined;
  });

  afterEach(async () => {
    GatedWorkChain.gate = undefined;
    await communicator.close();
  });

  it('a continue task for a pid running on launcher A, handled by launcher B: B follows, the sender gets the outcome', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const a = new ProcessLauncher({ persister, logger });
    const b = new ProcessLauncher({ persister, logger });
    const controller = new RemoteProcessController(communicator);
    const gate = deferred();
    GatedWorkChain.gate = gate.promise;

    communicator.addTaskSubscriber(a.handle, 'A');
    const pid = await controller.launchProcess(GatedWorkChain, { persist: true, nowait: true });
    await inStepTwo(pid);
    communicator.removeTaskSubscriber('A');
    communicator.addTaskSubscriber(b.handle, 'B');

    const outcome = controller.continueProcess(pid);
    await vi.waitFor(() => expect(b.followingCount).toBe(1), { timeout: 10_000, interval: 5 });
    expect(b.runningCount).toBe(0);
    expect(a.runningCount).toBe(1);
    // A nowait continue answers the pid at once, and starts nothing either.
    expect(await controller.continueProcess(pid, { nowait: true })).toBe(pid);
    expect(b.runningCount).toBe(0);

    gate.resolve();
    expect(await outcome).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
    expect(b.followingCount).toBe(0);
    expect((await persister.loadCheckpoint(pid)).unbundle<GatedWorkChain>().state).toBe(ProcessState.FINISHED);
  });

  it('the same pid sent several times to one launcher runs once; every task gets the outcome', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const launcher = new ProcessLauncher({ persister, logger });
    const gate = deferred();
    GatedWorkChain.gate = gate.promise;
    const pid = newPid();
    const launch = createLaunchBody(GatedWorkChain, { persist: true, pid });

    const answers = [
      launcher.handle(communicator, launch),
      launcher.handle(communicator, launch), // a redelivered launch
      launcher.handle(communicator, createContinueBody(pid)),
      launcher.handle(communicator, createContinueBody(pid)),
    ];
    const nowait = launcher.handle(communicator, createContinueBody(pid, { nowait: true }));
    await inStepTwo(pid);
    expect(await nowait).toBe(pid);
    expect(launcher.runningCount).toBe(1);
    gate.resolve();
    for (const answer of await Promise.all(answers)) expect(answer).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
  });

  it('a pid that is not running and whose last checkpoint is terminal is answered from it, not run again', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const a = new ProcessLauncher({ persister, logger });
    const b = new ProcessLauncher({ persister, logger });
    const pid = newPid();
    const launch = createLaunchBody(GatedWorkChain, { persist: true, pid });
    expect(await a.handle(communicator, launch)).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(await b.handle(communicator, createContinueBody(pid))).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(await b.handle(communicator, launch)).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(await b.handle(communicator, createContinueBody(pid, { nowait: true }))).toBe(pid);
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
    expect(b.runningCount).toBe(0);
  });

  it('a running copy that another copy took over is fenced out at its next checkpoint: it stops, its task follows', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const a = new ProcessLauncher({ persister, logger });
    const b = new ProcessLauncher({ persister, logger });
    const pid = newPid();
    const inputs = { iterations: 100, delayMs: 5 };
    const answer = a.handle(communicator, createLaunchBody(SlowWorkChain, { persist: true, pid, inputs }));
    await vi.waitFor(() => expect(a.runningCount).toBe(1), { timeout: 10_000, interval: 5 });
    const copy = a.runningProcesses.find((p) => String(p.pid) === pid);
    expect(copy).toBeDefined();

    // Another worker took the process over (say, while A's broker connection was down): it saved a newer checkpoint.
    const takenOver = (await persister.loadCheckpoint(pid)).unbundle<SlowWorkChain>();
    await persister.saveCheckpoint(takenOver);

    // A's copy is refused its next checkpoint: it stops (paused, closed, not terminated) and its task follows.
    await vi.waitFor(() => expect(a.followingCount).toBe(1), { timeout: 10_000, interval: 5 });
    expect(a.runningCount).toBe(0);
    await vi.waitFor(() => expect(copy?.isClosed).toBe(true), { timeout: 10_000, interval: 5 });
    expect(copy?.hasTerminated()).toBe(false);
    expect(copy?.paused).toBe(true);

    // The copy that took over runs on (here on B) and both tasks get its outcome.
    expect(await b.handle(communicator, createContinueBody(pid))).toEqual({ count: 100 });
    expect(await answer).toEqual({ count: 100 });
    expect(copy?.hasTerminated()).toBe(false);
  });

  it('a follower continues the process itself when its worker hands it over (nobody answers for it any more)', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const a = new ProcessLauncher({ persister, logger });
    const b = new ProcessLauncher({ persister, logger, livenessCheckIntervalMs: 20 });
    const pid = newPid();
    const inputs = { iterations: 30, delayMs: 5 };
    expect(
      await a.handle(communicator, createLaunchBody(SlowWorkChain, { persist: true, nowait: true, pid, inputs })),
    ).toBe(pid);
    const following = b.handle(communicator, createContinueBody(pid));
    await vi.waitFor(() => expect(b.followingCount).toBe(1), { timeout: 10_000, interval: 5 });
    // A stops: the process is paused, checkpointed and handed over with a continue task (to B, the only subscriber).
    communicator.addTaskSubscriber(b.handle);
    await a.stop();
    expect(await following).toEqual({ count: 30 });
    expect(b.runningCount).toBe(0);
    expect((await persister.loadCheckpoint(pid)).unbundle<SlowWorkChain>().outputs).toEqual({ count: 30 });
  });

  it('stopping a launcher gives the tasks that follow processes back (TaskRejected)', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const a = new ProcessLauncher({ persister, logger });
    const b = new ProcessLauncher({ persister, logger });
    const gate = deferred();
    GatedWorkChain.gate = gate.promise;
    const pid = newPid();
    await a.handle(communicator, createLaunchBody(GatedWorkChain, { persist: true, nowait: true, pid }));
    const following = b.handle(communicator, createContinueBody(pid));
    await vi.waitFor(() => expect(b.followingCount).toBe(1), { timeout: 10_000, interval: 5 });
    await b.stop();
    await expect(following).rejects.toBeInstanceOf(TaskRejected);
    gate.resolve();
  });
});
