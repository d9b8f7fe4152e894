// Ports of plumpy's TestProcessSaving (tests/test_processes.py), TestWaitingProcess
// (tests/test_waiting_process.py) and the listener persistence test, plus the
// saved form of every state.
import {
  Bundle,
  ClassRegistry,
  InMemoryPersister,
  LoadSaveContext,
  PersistenceError,
  deserializeBundle,
  serializeBundle,
  type SavableClass,
  type SavedState,
} from '@plumpy-ts/persistence';
import { describe, expect, it } from 'vitest';
import { ProcessSaver, checkAgainstSnapshots, checkRoundTrip } from './testkit/index.js';
import {
  DummyProcess,
  DummyProcessWithDynamicOutput,
  DummyProcessWithOutput,
  ExceptionProcess,
  KillProcess,
  MissingOutputProcess,
  ProcessWithCheckpoint,
  ThreeSteps,
  ThreeStepsThenException,
  TwoCheckpointNoFinish,
  WaitForSignalProcess,
  until,
  untilWaiting,
} from './__tests__/processes.js';
import {
  Continue,
  ExitCode,
  KilledError,
  Process,
  ProcessState,
  type Running,
  SuperNotCalledError,
  UnsuccessfulResult,
  Wait,
  type ProcessListener,
  type ProcessSavedState,
  type ProcessSpec,
} from './index.js';

class SavePauseProc extends Process {
  stepsRan: string[] = [];

  override run(): Continue {
    void this.pause();
    this.stepsRan.push('run');
    return new Continue(this.step2);
  }

  step2(): void {
    this.stepsRan.push('step2');
  }
}

class RestartProcess extends WaitForSignalProcess {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.outputs.dynamic = true;
  }

  override lastStep(): void {
    this.out('finished', true);
  }
}

describe('saving a process (plumpy TestProcessSaving)', () => {
  it('round-trips a created process (test_created_bundle)', () => {
    const proc = new DummyProcess();
    const loaded = checkRoundTrip(proc);
    expect(loaded.state).toBe(ProcessState.CREATED);
    expect(loaded.creationTime).toBe(proc.creationTime);
    expect(loaded.paused).toBe(false);
    expect(loaded.isClosed).toBe(false);
  });

  it('round-trips a killed process (test_killed)', async () => {
    const proc = new DummyProcess();
    expect(await proc.kill('stop it')).toBe(true);
    expect(proc.state).toBe(ProcessState.KILLED);
    const loaded = checkRoundTrip(proc);
    expect(loaded.state).toBe(ProcessState.KILLED);
    expect(loaded.killedMsg()).toEqual({ message: 'stop it', force: false });
    expect(loaded.status).toBe('stop it');
    expect(loaded.isClosed).toBe(true);
    expect(() => loaded.result()).toThrow(KilledError);
    await expect(loaded.future()).rejects.toThrow('stop it');
    await expect(loaded.execute()).rejects.toThrow(/closed/);
  });

  it('saves copies of the outputs at every step (test_instance_state_with_outputs)', async () => {
    const proc = new DummyProcessWithOutput();
    const saver = new ProcessSaver(proc);
    await proc.execute();
    checkRoundTrip(proc);
    expect(saver.snapshots.length).toBeGreaterThan(1);
    saver.snapshots.forEach((bundle, i) => {
      expect(bundle.state.outputs).toEqual(saver.outputs[i]);
      expect(bundle.state.outputs).not.toBe(proc.outputs);
    });
    expect(saver.snapshots.at(-1)!.state.outputs).toEqual({ default: 5 });
  });

  it('saves the outputs after every step (plumpy TestWaitingProcess.test_instance_state)', async () => {
    const proc = new ThreeSteps();
    const saver = new ProcessSaver(proc);
    await proc.execute();
    saver.snapshots.forEach((bundle, i) => expect(bundle.state.outputs).toEqual(saver.outputs[i]));
  });

  it.each([DummyProcess, DummyProcessWithOutput, DummyProcessWithDynamicOutput, ThreeSteps])(
    'continues %o from every snapshot to the same later snapshots (test_saving_each_step)',
    async (cls) => {
      const proc = new cls();
      const saver = new ProcessSaver(proc);
      await saver.capture(proc);
      expect(proc.state).toBe(ProcessState.FINISHED);
      await checkAgainstSnapshots(saver.snapshots);
    },
  );

  it.each([ProcessWithCheckpoint, TwoCheckpointNoFinish, ExceptionProcess, ThreeStepsThenException, MissingOutputProcess, KillProcess])(
    'continues %o from every snapshot (plumpy TestWaitingProcess.test_saving_each_step)',
    async (cls) => {
      const proc = new cls();
      const saver = new ProcessSaver(proc);
      await saver.capture(proc);
      expect(proc.hasTerminated()).toBe(true);
      await checkAgainstSnapshots(saver.snapshots);
    },
  );

  it('recreates a process paused inside a step as paused, before its next step (test_running_save_instance_state)', async () => {
    const proc = new SavePauseProc();
    const driving = proc.stepUntilTerminated();
    await until(proc, () => proc.paused);

    const bundle = new Bundle(proc);
    expect(proc.stepsRan).toEqual(['run']);
    expect(bundle.state.paused).toBe(true);
    expect(bundle.state.state).toEqual({ label: 'running', method: 'step2', args: [] });

    proc.play();
    await driving;
    expect(proc.stepsRan).toEqual(['run', 'step2']);

    const loaded = bundle.unbundle<SavePauseProc>();
    expect(loaded.paused).toBe(true);
    expect(loaded.stepsRan).toEqual([]); // field initialisers run; saved fields are the process's own
    const running = loaded.stepUntilTerminated();
    await Promise.resolve();
    expect(loaded.stepsRan).toEqual([]); // a paused process takes no step
    loaded.play();
    await running;
    expect(loaded.stepsRan).toEqual(['step2']);
    expect(loaded.state).toBe(ProcessState.FINISHED);
  });

  it('restarts from WAITING (test_restart)', async () => {
    const proc = new RestartProcess();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);

    const loaded = new Bundle(proc).unbundle<RestartProcess>();
    expect(loaded.state).toBe(ProcessState.WAITING);
    loaded.resume();
    await loaded.stepUntilTerminated();
    expect(loaded.outputs).toEqual({ finished: true });

    proc.resume();
    await driving;
  });

  it('restarts from WAITING resumed twice (test_double_restart)', async () => {
    const proc = new RestartProcess();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);

    const loaded = new Bundle(proc).unbundle<RestartProcess>();
    expect(loaded.state).toBe(ProcessState.WAITING);
    loaded.resume();
    loaded.resume();
    await loaded.stepUntilTerminated();
    expect(loaded.outputs).toEqual({ finished: true });

    await proc.kill();
    await driving;
  });

  it('gives the same result when continued from WAITING (test_wait_save_continue)', async () => {
    const proc = new WaitForSignalProcess();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    const bundle = new Bundle(proc);

    proc.resume();
    await driving;
    const result1 = await proc.future();

    const proc2 = bundle.unbundle<WaitForSignalProcess>(new LoadSaveContext());
    const executing = proc2.execute();
    proc2.resume();
    expect(await executing).toEqual(result1);
  });

  it('kills a process when it enters WAITING (plumpy TestWaitingProcess.test_kill)', async () => {
    const proc = new WaitForSignalProcess();
    proc.addProcessListener({ onProcessWaiting: () => void proc.kill() });
    await expect(proc.execute()).rejects.toThrow(KilledError);
    expect(proc.isKilled).toBe(true);
    const loaded = checkRoundTrip(proc);
    expect(loaded.isKilled).toBe(true);
  });
});

describe('the saved state', () => {
  it('is plain data naming the class, pid, inputs, outputs, state and flags', async () => {
    class Adder extends Process<{ a: number; b?: number }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a', { validType: Number });
        spec.input('b', { validType: Number, default: 2 });
        spec.output('sum', { validType: Number });
      }
      override run(): Wait {
        this.out('sum', this.inputs.a + (this.inputs.b ?? 0));
        return new Wait('done', 'for a signal', { reason: 'test' });
      }
      done(): void {}
    }
    const proc = new Adder({ inputs: { a: 1 }, pid: 'adder-1' });
    proc.setStatus('adding');
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    const bundle = new Bundle(proc);
    expect(bundle.classId).toBe('Adder');
    expect(bundle.pid).toBe('adder-1');
    const expected: ProcessSavedState = {
      pid: 'adder-1',
      ctime: proc.creationTime,
      paused: false,
      status: 'adding',
      rawInputs: { a: 1 },
      inputs: { a: 1, b: 2 },
      outputs: { sum: 3 },
      state: { label: 'waiting', method: 'done', msg: 'for a signal', data: { reason: 'test' } },
    };
    expect(bundle.state).toEqual(expected);
    const loaded = checkRoundTrip(proc);
    expect(loaded.inputs).toEqual({ a: 1, b: 2 });
    expect(Object.isFrozen(loaded.inputs)).toBe(true);
    expect(loaded.rawInputs).toEqual({ a: 1 });
    expect(loaded.status).toBe('adding');
    expect(String(loaded.currentState)).toBe('waiting (for a signal)');
    proc.resume();
    await driving;
  });

  it('survives serialization to text', async () => {
    const proc = new ThreeSteps();
    const saver = new ProcessSaver(proc);
    await proc.execute();
    for (const bundle of saver.snapshots) {
      const text = serializeBundle(bundle);
      const read = deserializeBundle(text, 'test');
      expect(read.toData()).toEqual(bundle.toData());
      const loaded = read.unbundle<ThreeSteps>();
      expect(new Bundle(loaded)).toEqual(bundle);
    }
  });

  it('keeps a pending Continue with its arguments', async () => {
    const received: unknown[][] = [];
    class WithArgs extends Process {
      override run(): Continue {
        return new Continue(this.add, 1, 'two', { three: [3] }, undefined);
      }
      add(...args: unknown[]): number {
        received.push(args);
        return 42;
      }
    }
    const proc = new WithArgs();
    let bundle: Bundle | undefined;
    proc.addProcessListener({
      onProcessRunning: (p) => {
        if ((p.currentState as Running).method === 'add') bundle = new Bundle(p);
      },
    });
    await proc.execute();
    expect(bundle!.state.state).toEqual({ label: 'running', method: 'add', args: [1, 'two', { three: [3] }, undefined] });
    const loaded = bundle!.unbundle<WithArgs>();
    await loaded.execute();
    expect(received).toEqual([
      [1, 'two', { three: [3] }, undefined],
      [1, 'two', { three: [3] }, undefined],
    ]);
    expect(loaded.result()).toBe(42);
  });

  it('refuses to save a step that cannot be found by name', async () => {
    class Anonymous extends Process {
      override run(): Continue {
        return new Continue(() => undefined);
      }
    }
    const proc = new Anonymous();
    const errors: unknown[] = [];
    proc.addProcessListener({
      onProcessRunning: (p) => {
        if ((p.currentState as Running).method === 'run') return;
        try {
          new Bundle(p);
        } catch (error) {
          errors.push(error);
        }
      },
    });
    await proc.execute();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PersistenceError);
    expect((errors[0] as Error).message).toMatch(/next step '' cannot be found by name/);
  });

  it('saves an exception as plain data and brings it back with its name and message', async () => {
    const proc = new ExceptionProcess();
    await expect(proc.execute()).rejects.toThrow('Great scott!');
    const bundle = new Bundle(proc);
    const saved = bundle.state.state as { label: string; error: Record<string, unknown> };
    expect(saved.label).toBe('excepted');
    expect(saved.error).toEqual({ name: 'RangeError', message: 'Great scott!', stack: proc.exception()!.stack });
    expect(Object.getPrototypeOf(saved.error)).toBe(Object.prototype);
    const loaded = checkRoundTrip(proc);
    expect(loaded.isExcepted).toBe(true);
    expect(loaded.outputs).toEqual({ test: 5 });
    const error = loaded.exception()!;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('Great scott!');
    expect(() => loaded.result()).toThrow('Great scott!');
    await expect(loaded.future()).rejects.toThrow('Great scott!');
  });

  it('saves a finished process: result, exit code and success', async () => {
    class Codes extends Process<{ fail: boolean }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('fail', { validType: Boolean });
        spec.exitCode(418, 'TEAPOT', 'I am a teapot');
      }
      override run(): unknown {
        return this.inputs.fail ? this.exitCodes.TEAPOT : { answer: 42 };
      }
    }
    const failing = new Codes({ inputs: { fail: true } });
    await failing.execute();
    const loadedFailing = checkRoundTrip(failing);
    expect(loadedFailing.exitStatus).toBe(418);
    expect(loadedFailing.isSuccessful).toBe(false);
    expect(loadedFailing.result()).toBe(failing.exitCodes.TEAPOT);
    expect(loadedFailing.exitMessage).toBe('I am a teapot');

    const passing = new Codes({ inputs: { fail: false } });
    await passing.execute();
    const loadedPassing = checkRoundTrip(passing);
    expect(loadedPassing.isSuccessful).toBe(true);
    expect(loadedPassing.exitStatus).toBe(0);
    expect(loadedPassing.result()).toEqual({ answer: 42 });

    class Unsuccessful extends Process {
      override run(): UnsuccessfulResult {
        return new UnsuccessfulResult(3);
      }
    }
    const unsuccessful = new Unsuccessful();
    await unsuccessful.execute();
    const loadedUnsuccessful = checkRoundTrip(unsuccessful);
    expect(loadedUnsuccessful.isSuccessful).toBe(false);
    expect(loadedUnsuccessful.exitStatus).toBe(3);
    expect(loadedUnsuccessful.result()).toBe(3);
    expect(new ExitCode(0).status).toBe(0);
  });

  it('keeps the paused flag and the status to restore on play', async () => {
    const proc = new WaitForSignalProcess();
    proc.setStatus('working');
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    expect(await proc.pause('paused by test')).toBe(true);
    const loaded = checkRoundTrip(proc);
    expect(loaded.paused).toBe(true);
    expect(loaded.status).toBe('paused by test');
    loaded.play();
    expect(loaded.paused).toBe(false);
    expect(loaded.status).toBe('working');
    await proc.kill();
    await driving;
  });

  it('keeps a resume (with its value) that a paused process has not acted on yet', async () => {
    class Echo extends Process {
      override run(): Wait {
        return new Wait('echo');
      }
      echo(value: unknown): unknown {
        return value;
      }
    }
    const proc = new Echo();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    await proc.pause();
    proc.resume({ value: 'hello' });
    const bundle = new Bundle(proc);
    expect(bundle.state.state).toEqual({
      label: 'waiting',
      method: 'echo',
      resumed: true,
      hasValue: true,
      value: { value: 'hello' },
    });
    const loaded = checkRoundTrip(proc);
    loaded.play();
    await loaded.execute();
    expect(loaded.result()).toEqual({ value: 'hello' });
    proc.play();
    await driving;
  });

  it('finishes with the resume value when the Wait has no continuation', async () => {
    class Waits extends Process {
      override run(): Wait {
        return new Wait();
      }
    }
    const proc = new Waits();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    const loaded = checkRoundTrip(proc);
    const executing = loaded.execute();
    loaded.resume('done');
    await executing;
    expect(loaded.result()).toBe('done');
    await proc.kill();
    await driving;
  });

  it('reports a malformed saved state with a PersistenceError', () => {
    const bundle = new Bundle(new DummyProcess());
    const broken = (state: SavedState): Bundle => Bundle.fromData({ ...bundle.toData(), state });
    expect(() => broken({ ...bundle.state, state: { label: 'sleeping' } }).unbundle()).toThrow(
      /saved 'state.label' is malformed/,
    );
    expect(() => broken({ ...bundle.state, pid: null }).unbundle()).toThrow(PersistenceError);
    expect(() => broken({ ...bundle.state, state: { label: 'running', method: 7, args: [] } }).unbundle()).toThrow(
      PersistenceError,
    );
  });

  it('refuses inputs that are not plain data, naming their path', () => {
    class Box {}
    class TakesAnything extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputs.dynamic = true;
      }
    }
    const proc = new TakesAnything({ inputs: { box: new Box() } });
    expect(() => new Bundle(proc)).toThrow(/state\.rawInputs\.box/);
  });

  it('is a Savable with a SavableClass, also for subclasses with their own constructor options', () => {
    class Options extends Process<{ x?: number }> {
      constructor(options: { inputs?: { x?: number }; pid?: string } = {}) {
        super(options);
      }
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('x', { validType: Number, required: false });
      }
    }
    const context = new LoadSaveContext();
    const typed: Options = Options.recreateFromSavedState(new Options({ inputs: { x: 1 } }).save(context));
    expect(typed.inputs).toEqual({ x: 1 });
    const classes: SavableClass<Process>[] = [Process, DummyProcess];
    const saved = new DummyProcess().save(context);
    expect(classes.map((cls) => cls.recreateFromSavedState(saved, context).state)).toEqual(['created', 'created']);
  });

  it('names a class by its static processId', () => {
    class Identified extends Process {
      static readonly processId = 'tests/Identified';
    }
    const bundle = new Bundle(new Identified());
    expect(bundle.classId).toBe('tests/Identified');
    expect(ClassRegistry.default.load('tests/Identified')).toBe(Identified);
    expect(bundle.unbundle()).toBeInstanceOf(Identified);
  });
});

describe('recreating a process', () => {
  it('does not rerun creation hooks; reruns init', () => {
    const calls: string[] = [];
    class Hooked extends Process {
      protected override onCreate(): void {
        super.onCreate();
        calls.push('onCreate');
      }
      protected override init(): void {
        super.init();
        calls.push('init');
      }
    }
    const created: Process[] = [];
    const proc = new Hooked({ listeners: [{ onProcessCreated: (p) => created.push(p) }] });
    expect(calls).toEqual(['onCreate', 'init']);
    const loaded = new Bundle(proc).unbundle<Hooked>();
    expect(calls).toEqual(['onCreate', 'init', 'init']);
    expect(created).toEqual([proc]);
    expect(loaded.state).toBe(ProcessState.CREATED);
  });

  it('lets subclasses save and load their own fields (saveInstanceState / loadInstanceState)', async () => {
    class Counter extends Process {
      count = 0;
      override run(): Continue {
        this.count += 1;
        return new Continue(this.again);
      }
      again(): void {
        this.count += 10;
      }
      protected override saveInstanceState(out: SavedState, context: LoadSaveContext): void {
        super.saveInstanceState(out, context);
        out.count = this.count;
      }
      protected override loadInstanceState(saved: SavedState, context: LoadSaveContext): void {
        super.loadInstanceState(saved, context);
        this.count = saved.count as number;
      }
    }
    const proc = new Counter();
    const saver = new ProcessSaver(proc);
    await proc.execute();
    expect(saver.snapshots.map((b) => b.state.count)).toEqual([0, 1, 11]);
    const loaded = saver.snapshots[1]!.unbundle<Counter>();
    expect(loaded.count).toBe(1);
    await loaded.execute();
    expect(loaded.count).toBe(11);
    await checkAgainstSnapshots(saver.snapshots);
  });

  it('fails when a saveInstanceState or loadInstanceState override forgets super', () => {
    class ForgetsSave extends Process {
      protected override saveInstanceState(): void {}
    }
    expect(() => new Bundle(new ForgetsSave())).toThrow(SuperNotCalledError);
    class ForgetsLoad extends Process {
      protected override loadInstanceState(): void {}
    }
    const bundle = new Bundle(new ForgetsLoad());
    expect(() => bundle.unbundle()).toThrow(/loadInstanceState/);
  });

  it('runs field initialisers (also of #private fields) but not creation hooks of the recreated instance', async () => {
    class WithPrivate extends Process {
      readonly #seen: string[] = [];
      readonly helper = new Map<string, number>([['ready', 1]]);
      override run(): Continue {
        this.#seen.push('run');
        return new Continue('last');
      }
      last(): string[] {
        this.#seen.push('last');
        return [...this.#seen];
      }
    }
    const proc = new WithPrivate();
    let bundle: Bundle | undefined;
    proc.addProcessListener({
      onProcessRunning: (p) => {
        if ((p.currentState as Running).method === 'last') bundle = new Bundle(p);
      },
    });
    expect(await proc.execute()).toEqual({});
    expect(proc.result()).toEqual(['run', 'last']);
    const loaded = bundle!.unbundle<WithPrivate>();
    expect(loaded.helper.get('ready')).toBe(1);
    await loaded.execute();
    expect(loaded.result()).toEqual(['last']);
  });

  it('runs the recreated process independently of the original', async () => {
    const proc = new ThreeSteps();
    const bundle = new Bundle(proc);
    const loaded = bundle.unbundle<ThreeSteps>();
    await loaded.execute();
    expect(loaded.state).toBe(ProcessState.FINISHED);
    expect(proc.state).toBe(ProcessState.CREATED);
    expect(proc.outputs).toEqual({});
    await proc.execute();
    expect(proc.outputs).toEqual(loaded.outputs);
  });
});

// Registered under fixed identifiers, as a worker would do.
let finishedCount = 0;

/** A savable listener (plumpy's TestListener of test_listener_persistence). */
class CountingListener implements ProcessListener {
  static readonly processId = 'tests/CountingListener';
  constructor(readonly label: string) {}

  onProcessFinished(): void {
    finishedCount += 1;
  }

  save(): SavedState {
    return { label: this.label };
  }

  static recreateFromSavedState(state: SavedState, context: LoadSaveContext): CountingListener {
    expect(context.get('process')).toBeInstanceOf(Process);
    return new CountingListener(state.label as string);
  }
}

const persister = new InMemoryPersister();

class CheckpointEachStep extends Process {
  static readonly processId = 'tests/CheckpointEachStep';
  static readonly saves: Promise<void>[] = [];

  override run(): Continue {
    CheckpointEachStep.saves.push(persister.saveCheckpoint(this, 'step1'));
    return new Continue(this.step2);
  }

  step2(): void {
    CheckpointEachStep.saves.push(persister.saveCheckpoint(this, 'step2'));
  }
}

describe('checkpoints taken inside steps, and listeners', () => {
  it('restores savable listeners and drops the others (test_listener_persistence)', async () => {
    finishedCount = 0;
    const plain: string[] = [];
    const proc = new CheckpointEachStep();
    proc.addProcessListener(new CountingListener('counter'));
    proc.addProcessListener({ onProcessFinished: () => plain.push('finished') });
    await proc.execute();
    await Promise.all(CheckpointEachStep.saves);
    expect(finishedCount).toBe(1);
    expect(plain).toEqual(['finished']);

    const bundle = await persister.loadCheckpoint(proc.pid, 'step1');
    expect(bundle.state.listeners).toEqual([{ classId: 'tests/CountingListener', state: { label: 'counter' } }]);
    const loaded = bundle.unbundle<CheckpointEachStep>();
    await loaded.execute();
    expect(finishedCount).toBe(2);
    expect(plain).toEqual(['finished']);
  });

  it('saves a process checkpointed inside a step as RUNNING that step, which reruns on load', async () => {
    const proc = new CheckpointEachStep();
    await proc.execute();
    await Promise.all(CheckpointEachStep.saves);
    const step1 = await persister.loadCheckpoint(proc.pid, 'step1');
    const step2 = await persister.loadCheckpoint(proc.pid, 'step2');
    expect(step1.state.state).toEqual({ label: 'running', method: 'run', args: [] });
    expect(step2.state.state).toEqual({ label: 'running', method: 'step2', args: [] });
    expect(step2.revision).toBe(step1.revision + 1);

    // Continuing from step1 runs run() again, which checkpoints step1 again: the same snapshot, one revision on.
    const loaded = step1.unbundle<CheckpointEachStep>();
    await loaded.execute();
    await Promise.all(CheckpointEachStep.saves);
    const again = await persister.loadCheckpoint(proc.pid, 'step1');
    expect(again.state).toEqual(step1.state);
    expect(again.revision).toBe(step1.revision + 1); // the revision goes on from the loaded bundle's
    expect((await persister.loadCheckpoint(proc.pid, 'step2')).state).toEqual(step2.state);
  });
});
