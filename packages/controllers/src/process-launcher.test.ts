import { LocalCommunicator, TaskRejected } from '@plumpy-ts/communicator';
import { ClassRegistry, InMemoryPersister, LoadSaveContext, type Checkpointable } from '@plumpy-ts/persistence';
import { Process, ProcessState, type AnyProcess } from '@plumpy-ts/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CountingWorkChain,
  DummyProcess,
  DummyProcessWithOutput,
  GatedWorkChain,
  SlowWorkChain,
} from './__tests__/processes.js';
import { deferred, recordingLogger } from './__tests__/support.js';
import { MalformedTaskError } from './errors.js';
import { newPid } from './new-pid.js';
import { processOutcome } from './process-end.js';
import { HANDOVER_PAUSE_MESSAGE, ProcessLauncher } from './process-launcher.js';
import { RemoteProcessController } from './remote-process-controller.js';
import { createContinueBody, createCreateBody, createLaunchBody } from './task-bodies.js';

/** A persister that remembers the state of every checkpoint saved (plumpy's InMemoryPersister, observed). */
class ObservedPersister extends InMemoryPersister {
  readonly saved: { pid: string; state: string; trace: string[] }[] = [];

  override saveCheckpoint(process: Checkpointable, tag?: string): Promise<void> {
    const p = process as unknown as AnyProcess & { ctx?: { trace?: string[] } };
    this.saved.push({ pid: String(p.pid), state: p.state, trace: [...(p.ctx?.trace ?? [])] });
    return super.saveCheckpoint(process, tag);
  }
}

/** A process class only a custom loader knows (plumpy's test_loader_is_used). */
class Jimmy extends Process {
  override run(): void {
    this.out('greeting', 'hi');
  }

  static override define(spec: Parameters<typeof Process.define>[0]): void {
    super.define(spec);
    spec.outputs.dynamic = true;
  }
}

describe('ProcessLauncher', () => {
  let communicator: LocalCommunicator;
  const logger = recordingLogger();

  beforeEach(() => {
    communicator = new LocalCommunicator();
    GatedWorkChain.executions.clear();
    GatedWorkChain.gate = undefined;
  });

  afterEach(async () => {
    await communicator.close();
  });

  it('continues a checkpointed process when handed a continue task (plumpy test_continue)', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, loadContext: new LoadSaveContext(), logger });
    const process = new DummyProcess();
    await persister.saveCheckpoint(process);
    expect(await launcher.handle(communicator, createContinueBody(process.pid))).toEqual(DummyProcess.EXPECTED_OUTPUTS);
  });

  it('resolves classes with the loader it is given (plumpy test_loader_is_used)', async () => {
    const loader = new ClassRegistry();
    loader.register(Jimmy, 'jimmy');
    const persister = new InMemoryPersister({ loader });
    const proc = new Jimmy();
    await persister.saveCheckpoint(proc);
    const launcher = new ProcessLauncher({ persister, loader, logger });
    expect(await launcher.handle(communicator, createContinueBody(proc.pid))).toEqual({ greeting: 'hi' });
    expect(await launcher.handle(communicator, createLaunchBody('jimmy'))).toEqual({ greeting: 'hi' });
    // The default registry does not know 'jimmy', and this loader knows nothing else.
    await expect(launcher.handle(communicator, createLaunchBody(DummyProcess))).rejects.toThrow(
      "Unknown process class 'controllers-test/DummyProcess'",
    );
  });

  it('refuses a class its loader does not know with TaskRejected naming it, importing nothing', async () => {
    const launcher = new ProcessLauncher({ logger });
    const task = createLaunchBody('./evil-module.js#Payload');
    const refusal = launcher.handle(communicator, task);
    await expect(refusal).rejects.toBeInstanceOf(TaskRejected);
    await expect(refusal).rejects.toThrow("Unknown process class './evil-module.js#Payload'");
  });

  it('sends the refusal to the sender when no subscriber takes the task', async () => {
    communicator.addTaskSubscriber(new ProcessLauncher({ logger }).handle);
    const controller = new RemoteProcessController(communicator);
    const launch = controller.launchProcess('no/SuchClass');
    await expect(launch).rejects.toBeInstanceOf(TaskRejected);
    await expect(launch).rejects.toMatchObject({ cause: { message: expect.stringContaining('no/SuchClass') } });
  });

  it('refuses persist, continue and create without a persister (TaskRejected)', async () => {
    const launcher = new ProcessLauncher({ logger });
    await expect(launcher.handle(communicator, createLaunchBody(DummyProcess, { persist: true }))).rejects.toThrow(
      TaskRejected,
    );
    await expect(launcher.handle(communicator, createContinueBody('p'))).rejects.toThrow(TaskRejected);
    await expect(launcher.handle(communicator, createCreateBody(DummyProcess, { persist: true }))).rejects.toThrow(
      TaskRejected,
    );
  });

  it('rejects tasks of another kind (TaskRejected) and malformed ones (MalformedTaskError)', async () => {
    const launcher = new ProcessLauncher({ logger });
    await expect(launcher.handle(communicator, { task: 'reboot', args: {} })).rejects.toBeInstanceOf(TaskRejected);
    await expect(launcher.handle(communicator, { task: 'launch', args: { nowait: 1 } })).rejects.toBeInstanceOf(
      MalformedTaskError,
    );
  });

  it('refuses a registered class that is not a Process', async () => {
    class NotAProcess {
      static processId = 'controllers-test/NotAProcess';
    }
    ClassRegistry.default.register(NotAProcess);
    const launcher = new ProcessLauncher({ logger });
    await expect(launcher.handle(communicator, createLaunchBody(NotAProcess))).rejects.toThrow('is not a Process');
  });

  it('fails a continue task for a process without a checkpoint', async () => {
    const launcher = new ProcessLauncher({ persister: new InMemoryPersister(), logger });
    await expect(launcher.handle(communicator, createContinueBody(newPid()))).rejects.toThrow(/checkpoint/i);
  });

  it('creates and checkpoints a process without running it (create task)', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger });
    const pid = await launcher.handle(communicator, createCreateBody(DummyProcessWithOutput, { persist: true }));
    expect(typeof pid).toBe('string');
    const created = (await persister.loadCheckpoint(pid as string)).unbundle<AnyProcess>();
    expect(created.state).toBe(ProcessState.CREATED);
    expect(launcher.runningCount).toBe(0);
    expect(await launcher.handle(communicator, createContinueBody(pid as string))).toEqual({ default: 5 });
  });

  it('checkpoints at every state transition, so a continue resumes from the last completed step', async () => {
    const persister = new ObservedPersister();
    const first = new ProcessLauncher({ persister, logger });
    const gate = deferred();
    GatedWorkChain.gate = gate.promise;
    const pid = (await first.handle(communicator, createLaunchBody(GatedWorkChain, { persist: true, nowait: true }))) as string;
    // The chain is now inside its async step s2: the last checkpoint is after s1.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const states = persister.saved.filter((s) => s.pid === pid).map((s) => s.state);
    expect(states[0]).toBe(ProcessState.CREATED);
    expect(states).toContain(ProcessState.RUNNING);
    const last = (await persister.loadCheckpoint(pid)).unbundle<GatedWorkChain>();
    expect(last.state).toBe(ProcessState.RUNNING);
    expect(last.ctx.trace).toEqual(['s1']);

    // The first worker is gone (its copy hangs in s2); another continues from the checkpoint.
    GatedWorkChain.gate = undefined;
    const other = new LocalCommunicator();
    try {
      const second = new ProcessLauncher({ persister, logger });
      expect(await second.handle(other, createContinueBody(pid))).toEqual({ trace: ['s1', 's2', 's3'] });
    } finally {
      await other.close();
    }
    // s1 ran once; s2 started on the first worker (still waiting) and ran on the second.
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
    const final = (await persister.loadCheckpoint(pid)).unbundle<GatedWorkChain>();
    expect(final.state).toBe(ProcessState.FINISHED);
    gate.resolve();
  });

  it('saves the newest state when transitions come faster than saves (coalescing)', async () => {
    const persister = new ObservedPersister();
    const launcher = new ProcessLauncher({ persister, logger });
    expect(await launcher.handle(communicator, createLaunchBody(CountingWorkChain, { persist: true }))).toEqual({
      result: 11,
    });
    const states = persister.saved.map((s) => s.state);
    expect(states[0]).toBe(ProcessState.CREATED);
    expect(states[states.length - 1]).toBe(ProcessState.FINISHED);
    const last = (await persister.getCheckpoints()).map((c) => c.tag);
    expect(last).toEqual([undefined]);
  });

  it('keeps the last checkpoint by default and deletes checkpoints at the end when configured', async () => {
    const kept = new InMemoryPersister();
    const keeper = new ProcessLauncher({ persister: kept, logger });
    await keeper.handle(communicator, createLaunchBody(DummyProcessWithOutput, { persist: true, pid: 'kept-1' }));
    expect(await kept.getProcessCheckpoints('kept-1')).toEqual([{ pid: 'kept-1', tag: undefined }]);

    const deleted = new InMemoryPersister();
    const deleter = new ProcessLauncher({ persister: deleted, deleteCheckpointsOnEnd: true, logger });
    await deleter.handle(communicator, createLaunchBody(DummyProcessWithOutput, { persist: true, pid: 'gone-1' }));
    expect(await deleted.getProcessCheckpoints('gone-1')).toEqual([]);
  });

  it('does not checkpoint a process launched without persist', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger });
    await launcher.handle(communicator, createLaunchBody(CountingWorkChain));
    expect(await persister.getCheckpoints()).toEqual([]);
  });

  it('answers a continue task of a terminated process with its outcome again', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger });
    const pid = newPid();
    await launcher.handle(communicator, createLaunchBody(CountingWorkChain, { persist: true, pid }));
    expect(await launcher.handle(communicator, createContinueBody(pid))).toEqual({ result: 11 });
  });

  it('continues (not relaunches) a persisted launch redelivered with a pid that has a checkpoint', async () => {
    const persister = new InMemoryPersister();
    const launcher = new ProcessLauncher({ persister, logger });
    const pid = newPid();
    const saved = new GatedWorkChain({ pid });
    await persister.saveCheckpoint(saved);
    const body = createLaunchBody(GatedWorkChain, { persist: true, pid });
    expect(await launcher.handle(communicator, body)).toEqual({ trace: ['s1', 's2', 's3'] });
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
  });

  it('runs at most `concurrency` processes at once; the others wait for a slot', async () => {
    const launcher = new ProcessLauncher({ concurrency: 2, logger });
    const gate = deferred();
    GatedWorkChain.gate = gate.promise;
    const launches = Array.from({ length: 5 }, () => launcher.handle(communicator, createLaunchBody(GatedWorkChain)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(launcher.runningCount).toBe(2);
    expect(launcher.waitingCount).toBe(3);
    GatedWorkChain.gate = undefined;
    gate.resolve();
    const outcomes = await Promise.all(launches);
    expect(outcomes).toEqual(Array.from({ length: 5 }, () => ({ trace: ['s1', 's2', 's3'] })));
    expect(launcher.runningCount).toBe(0);
  });

  it('on stop: pauses, checkpoints and hands over running processes; another launcher continues them', async () => {
    const persister = new InMemoryPersister();
    const first = new ProcessLauncher({ persister, logger });
    const second = new ProcessLauncher({ persister, logger });
    communicator.addTaskSubscriber(first.handle);
    communicator.addTaskSubscriber(second.handle);
    const controller = new RemoteProcessController(communicator);

    const waited = controller.launchProcess(SlowWorkChain, { inputs: { iterations: 30, delayMs: 2 }, persist: true });
    const nowaitPid = await controller.launchProcess(SlowWorkChain, {
      inputs: { iterations: 30, delayMs: 2 },
      persist: true,
      nowait: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(first.runningCount).toBe(2);
    expect(second.runningCount).toBe(0);

    await first.stop();
    expect(first.runningCount).toBe(0);
    // The waited-for launch went to the second launcher and continued there; so did the nowait one.
    expect(await waited).toEqual({ count: 30 });
    expect(await processOutcome(communicator, nowaitPid, { persister })).toEqual({ count: 30 });
    await expect(first.handle(communicator, createLaunchBody(DummyProcess))).rejects.toBeInstanceOf(TaskRejected);
  });

  it('keeps a process paused by a user paused when it is handed over', async () => {
    const persister = new InMemoryPersister();
    const first = new ProcessLauncher({ persister, logger });
    const pid = (await first.handle(
      communicator,
      createLaunchBody(SlowWorkChain, { inputs: { iterations: 1000, delayMs: 1 }, persist: true, nowait: true }),
    )) as string;
    const running = first.runningProcesses[0]!;
    expect(await running.pause('user says wait')).toBe(true);
    await first.stop();
    const restored = (await persister.loadCheckpoint(pid)).unbundle<AnyProcess>();
    expect(restored.paused).toBe(true);
    expect(restored.status).toBe('user says wait');
    expect(restored.status).not.toBe(HANDOVER_PAUSE_MESSAGE);
  });
});
