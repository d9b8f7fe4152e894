import { describe, expect, it } from 'vitest';
import { DummyProcess } from './__tests__/processes.js';
import { Process, ProcessState, SuperNotCalledError, Wait, type KillMessage, type ProcessSpec } from './index.js';

type Hook = 'create' | 'run' | 'running' | 'finish' | 'except' | 'kill' | 'wait' | 'paused' | 'output' | 'terminated';

function forgetful(forgetOn: Hook): new () => Process {
  // The hook to forget is fixed per class: onCreate runs inside the base constructor.
  return class ForgetToCallParent extends Process {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.outputs.dynamic = true;
    }
    override run(): Wait | undefined {
      this.out('x', 1);
      if (forgetOn === 'wait') return new Wait(this.after);
      if (forgetOn === 'except') throw new Error('planned failure');
      return undefined;
    }
    after(): void {}
    protected override onCreate(): void {
      if (forgetOn !== 'create') super.onCreate();
    }
    protected override onRun(): void {
      if (forgetOn !== 'run') super.onRun();
    }
    protected override onRunning(): void {
      if (forgetOn !== 'running') super.onRunning();
    }
    protected override onFinish(result: unknown, successful: boolean): void {
      if (forgetOn !== 'finish') super.onFinish(result, successful);
    }
    protected override onExcept(error: Error): void {
      if (forgetOn !== 'except') super.onExcept(error);
    }
    protected override onKill(msg: KillMessage): void {
      if (forgetOn !== 'kill') super.onKill(msg);
    }
    protected override onWait(data: unknown): void {
      if (forgetOn !== 'wait') super.onWait(data);
    }
    protected override onPaused(msg: string | undefined): void {
      if (forgetOn !== 'paused') super.onPaused(msg);
    }
    protected override onOutputEmitting(name: string, value: unknown): void {
      if (forgetOn !== 'output') super.onOutputEmitting(name, value);
    }
    protected override onTerminated(): void {
      if (forgetOn !== 'terminated') super.onTerminated();
    }
  };
}

describe('hooks that must call super (plumpy test_forget_to_call_parent)', () => {
  it('fails construction when onCreate forgets super', () => {
    const Cls = forgetful('create');
    expect(() => new Cls()).toThrow(SuperNotCalledError);
    expect(() => new Cls()).toThrow("Base 'onCreate' was not called from 'ForgetToCallParent'");
  });

  for (const hook of ['run', 'running', 'finish', 'wait', 'output', 'terminated'] as const) {
    it(`fails execution when on${hook} forgets super, naming the hook`, async () => {
      const proc = new (forgetful(hook))();
      const error = await proc.execute().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SuperNotCalledError);
      expect((error as SuperNotCalledError).hook).toMatch(new RegExp(`^on${hook}`, 'i'));
      expect(proc.state).toBe(ProcessState.EXCEPTED);
    });
  }

  it('fails the transition when onExcept forgets super', async () => {
    const proc = new (forgetful('except'))();
    await expect(proc.execute()).rejects.toThrow("Base 'onExcept' was not called");
  });

  it('makes the process EXCEPTED when onKill forgets super (plumpy test_forget_to_call_parent_kill)', async () => {
    const proc = new (forgetful('kill'))();
    expect(await proc.kill()).toBe(false);
    expect(proc.isExcepted).toBe(true);
    expect(proc.exception()).toBeInstanceOf(SuperNotCalledError);
  });

  it('fails a pause when onPaused forgets super', async () => {
    const proc = new (forgetful('paused'))();
    await expect(proc.pause()).rejects.toThrow("Base 'onPaused' was not called");
  });
});

describe('hook order', () => {
  it('calls the hooks in plumpy order', async () => {
    const calls: string[] = [];
    class Traced extends Process {
      override run(): Wait {
        calls.push('run()');
        return new Wait(this.after);
      }
      after(): void {
        calls.push('after()');
      }
      protected override onCreate(): void {
        super.onCreate();
        calls.push('onCreate');
      }
      protected override init(): void {
        super.init();
        calls.push('init');
      }
      protected override onRun(): void {
        super.onRun();
        calls.push('onRun');
      }
      protected override onRunning(): void {
        super.onRunning();
        calls.push('onRunning');
      }
      protected override onExitRunning(): void {
        super.onExitRunning();
        calls.push('onExitRunning');
      }
      protected override onWait(data: unknown): void {
        super.onWait(data);
        calls.push('onWait');
      }
      protected override onWaiting(): void {
        super.onWaiting();
        calls.push('onWaiting');
        this.resume();
      }
      protected override onExitWaiting(): void {
        super.onExitWaiting();
        calls.push('onExitWaiting');
      }
      protected override onFinish(result: unknown, successful: boolean): void {
        super.onFinish(result, successful);
        calls.push(`onFinish(${String(successful)})`);
      }
      protected override onFinished(): void {
        super.onFinished();
        calls.push('onFinished');
      }
      protected override onTerminated(): void {
        super.onTerminated();
        calls.push('onTerminated');
      }
      protected override onClose(): void {
        super.onClose();
        calls.push('onClose');
      }
    }
    await new Traced().execute();
    expect(calls).toEqual([
      'onCreate',
      'init',
      'onRun',
      'onRunning',
      'run()',
      'onExitRunning',
      'onWait',
      'onWaiting',
      'onExitWaiting',
      'onRun',
      'onRunning',
      'after()',
      'onExitRunning',
      'onFinish(true)',
      'onFinished',
      'onClose',
      'onTerminated',
    ]);
  });

  it('makes the process EXCEPTED when onEntered throws (plumpy test_exception_during_on_entered)', async () => {
    class RaisingProcess extends Process {
      protected override onEntered(from: Parameters<Process['onEntered']>[0]): void {
        if (from?.label === ProcessState.RUNNING) throw new RangeError('exception during on_entered');
        super.onEntered(from);
      }
    }
    const process = new RaisingProcess();
    await expect(process.execute()).rejects.toThrow(RangeError);
    expect(process.isSuccessful).toBe(false);
    expect(process.isExcepted).toBe(true);
    expect(process.exception()?.message).toBe('exception during on_entered');
  });

  it('runs cleanups when the process closes and logs their errors', async () => {
    const errors: unknown[][] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => errors.push(args) };
    const proc = new DummyProcess({ logger });
    const order: string[] = [];
    proc.addCleanup(() => order.push('first'));
    proc.addCleanup(() => {
      throw new Error('cleanup failed');
    });
    proc.addCleanup(() => order.push('third'));
    await proc.execute();
    expect(order).toEqual(['first', 'third']);
    expect(errors).toHaveLength(1);
    expect(() => proc.addCleanup(() => {})).toThrow('is closed');
  });
});

describe('super checks of nested hooks', () => {
  class WithOutput extends Process<Record<string, unknown>, { x: number }> {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.output('x', { validType: Number, required: false });
    }
  }

  it('reports a hook that forgets super even when it emits an output (a nested checked hook)', async () => {
    class EmitsInsteadOfSuper extends WithOutput {
      protected override onRunning(): void {
        this.out('x', 1);
      }
    }
    const proc = new EmitsInsteadOfSuper();
    const error = await proc.execute().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SuperNotCalledError);
    expect((error as SuperNotCalledError).message).toBe(
      "Base 'onRunning' was not called from 'EmitsInsteadOfSuper': did you forget to call super.onRunning()?",
    );
    expect(proc.outputs).toEqual({ x: 1 });
  });

  it('accepts a hook that calls super and catches the failure of another process inside it', async () => {
    class FailsToCreate extends Process {
      protected override onCreate(): void {
        throw new RangeError('cannot create');
      }
    }
    let caught: unknown;
    class Tolerant extends Process {
      protected override onRunning(): void {
        super.onRunning();
        try {
          new FailsToCreate();
        } catch (error) {
          caught = error;
        }
      }
    }
    const proc = new Tolerant();
    await proc.execute();
    expect(caught).toBeInstanceOf(RangeError);
    expect(proc.isSuccessful).toBe(true);
  });

  it('reports the hook of a child process that forgets super, not the parent hook around it', async () => {
    class ForgetfulChild extends Process {
      protected override onRun(): void {}
    }
    let childError: unknown;
    class Parent extends Process {
      protected override onRunning(): void {
        super.onRunning();
        const child = new ForgetfulChild();
        childError = child.execute().then(
          () => undefined,
          (e: unknown) => e,
        );
      }
    }
    await new Parent().execute();
    const error = await (childError as Promise<unknown>);
    expect(error).toBeInstanceOf(SuperNotCalledError);
    expect((error as SuperNotCalledError).className).toBe('ForgetfulChild');
    expect((error as SuperNotCalledError).hook).toBe('onRun');
  });
});
