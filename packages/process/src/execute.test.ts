import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  DummyProcess,
  DummyProcessWithOutput,
  ExceptionProcess,
  KillProcess,
  MissingOutputProcess,
  ThreeSteps,
  WaitForSignalProcess,
} from './__tests__/processes.js';
import {
  ClosedError,
  Continue,
  ExitCode,
  InvalidStateError,
  KilledError,
  PortValidationError,
  Process,
  ProcessState,
  Stop,
  UnsuccessfulResult,
  Wait,
  type ProcessSpec,
} from './index.js';

describe('execute', () => {
  it('runs to FINISHED and returns the outputs (plumpy test_execute)', async () => {
    const proc = new DummyProcessWithOutput();
    const outputs = await proc.execute();
    expect(proc.hasTerminated()).toBe(true);
    expect(proc.state).toBe(ProcessState.FINISHED);
    expect(outputs).toEqual({ default: 5 });
    expect(proc.outputs).toBe(outputs);
    expect(proc.isSuccessful).toBe(true);
    expect(proc.exitStatus).toBe(0);
  });

  it('rejects executing a closed process with ClosedError (plumpy test_execute_twice)', async () => {
    const proc = new DummyProcess();
    await proc.execute();
    expect(proc.isClosed).toBe(true);
    await expect(proc.execute()).rejects.toThrow(ClosedError);
    // stepping a terminated process is a no-op
    await expect(proc.stepUntilTerminated()).resolves.toBeUndefined();
  });

  it('rejects with the exception and ends EXCEPTED (plumpy test_exception, test_exc_info)', async () => {
    const proc = new ExceptionProcess();
    let error: unknown;
    try {
      await proc.execute();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(proc.state).toBe(ProcessState.EXCEPTED);
    expect(proc.exception()).toBe(error);
    expect(() => proc.result()).toThrow('Great scott!');
    expect(proc.isSuccessful).toBe(false);
    expect(proc.exitStatus).toBeUndefined();
    expect(String(proc.currentState)).toBe('excepted (RangeError: Great scott!)');
  });

  it('wraps a non-Error throw in an Error', async () => {
    class Thrower extends Process {
      override run(): void {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'plain string';
      }
    }
    const proc = new Thrower();
    await expect(proc.execute()).rejects.toThrow('plain string');
    expect(proc.exception()).toBeInstanceOf(Error);
  });

  it('rejects with KilledError containing the message for a Kill command (plumpy test_run_kill)', async () => {
    const proc = new KillProcess();
    await expect(proc.execute()).rejects.toThrow(KilledError);
    await expect(new KillProcess().execute()).rejects.toThrow('killed');
    expect(proc.state).toBe(ProcessState.KILLED);
    expect(proc.killedMsg()).toEqual({ message: 'killed', force: false });
    expect(proc.status).toBe('killed');
  });

  it('runs Continue steps by function and by name, with arguments', async () => {
    const seen: unknown[] = [];
    class Steps extends Process {
      override run(): Continue {
        seen.push('run');
        return new Continue(this.second, 1, 'two');
      }
      second(a: number, b: string): Continue {
        seen.push(['second', a, b]);
        return new Continue('third', { three: 3 });
      }
      third(c: { three: number }): number {
        seen.push(['third', c]);
        return 42;
      }
    }
    const proc = new Steps();
    await proc.execute();
    expect(seen).toEqual(['run', ['second', 1, 'two'], ['third', { three: 3 }]]);
    expect(proc.result()).toBe(42);
  });

  it('names a Continue step for saving', () => {
    class Named extends Process {
      step(): void {}
    }
    const named = new Named();
    expect(new Continue(named.step).method).toBe('step');
    expect(new Continue(named.step.bind(named)).method).toBe('step');
    expect(new Continue('step', 1).method).toBe('step');
    expect(new Continue('step', 1).args).toEqual([1]);
    expect(new Wait(named.step, 'msg', { d: 1 })).toMatchObject({ method: 'step', msg: 'msg', data: { d: 1 } });
    expect(new Wait().method).toBeUndefined();
  });

  it('excepts when a step name does not exist', async () => {
    class Missing extends Process {
      override run(): Continue {
        return new Continue('nope');
      }
    }
    const proc = new Missing();
    await expect(proc.execute()).rejects.toThrow("Missing has no step method 'nope'");
    expect(proc.state).toBe(ProcessState.EXCEPTED);
  });

  it('supports async steps and settles them in order', async () => {
    const seen: string[] = [];
    class AsyncSteps extends Process {
      override async run(): Promise<Continue> {
        seen.push('run start');
        await sleep(1);
        seen.push('run end');
        return new Continue(this.next);
      }
      async next(): Promise<string> {
        await Promise.resolve();
        seen.push('next');
        return 'done';
      }
    }
    const proc = new AsyncSteps();
    await proc.execute();
    expect(seen).toEqual(['run start', 'run end', 'next']);
    expect(proc.result()).toBe('done');
  });

  it('excepts when an async step rejects', async () => {
    class Rejects extends Process {
      override async run(): Promise<void> {
        await Promise.resolve();
        throw new Error('async failure');
      }
    }
    const proc = new Rejects();
    await expect(proc.execute()).rejects.toThrow('async failure');
    expect(proc.state).toBe(ProcessState.EXCEPTED);
  });

  it('accepts a step that returns a plain thenable', async () => {
    class Thenable extends Process {
      override run(): PromiseLike<number> {
        return { then: (resolve) => Promise.resolve(resolve?.(7)) } as PromiseLike<number>;
      }
    }
    const proc = new Thenable();
    await proc.execute();
    expect(proc.result()).toBe(7);
  });

  it('runs consecutive Continue steps without giving the event loop away', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 0);
    let counted = -1;
    class Many extends Process {
      override run(i = 0): Continue | undefined {
        if (i < 10_000) return new Continue(this.run, i + 1);
        counted = ticks;
        return undefined;
      }
    }
    const before = ticks;
    const promise = new Many().execute();
    expect(counted).toBe(before);
    await promise;
    clearInterval(ticker);
  });

  it('gives the event loop away while WAITING', async () => {
    const proc = new WaitForSignalProcess();
    const done = proc.execute();
    expect(proc.state).toBe(ProcessState.WAITING);
    await sleep(1);
    expect(proc.state).toBe(ProcessState.WAITING);
    proc.resume();
    await done;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('passes the resume value to the continue function', async () => {
    class Resumable extends Process {
      override run(): Wait {
        return new Wait('got', 'waiting for a value', { why: 'test' });
      }
      got(value: number): number {
        return value * 2;
      }
    }
    const proc = new Resumable();
    const done = proc.execute();
    expect(String(proc.currentState)).toBe('waiting (waiting for a value)');
    proc.resume(21);
    proc.resume(1000);
    await done;
    expect(proc.result()).toBe(42);
  });

  it('finishes with the resume value when Wait has no continue function', async () => {
    class Bare extends Process {
      override run(): Wait {
        return new Wait();
      }
    }
    const proc = new Bare();
    const done = proc.execute();
    proc.resume('value');
    await done;
    expect(proc.result()).toBe('value');
  });

  it('can be resumed before it is stepped (plumpy test_wait_continue)', async () => {
    const proc = new WaitForSignalProcess();
    proc.addProcessListener({ onProcessWaiting: (p) => p.resume() });
    await proc.execute();
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('refuses resume when not WAITING', () => {
    expect(() => new DummyProcess().resume()).toThrow(InvalidStateError);
    expect(() => new DummyProcess().resume()).toThrow("Cannot resume a process in state 'created': it is not waiting");
  });

  it('shares one driver between concurrent stepUntilTerminated calls', async () => {
    const proc = new WaitForSignalProcess();
    const first = proc.stepUntilTerminated();
    const second = proc.stepUntilTerminated();
    expect(second).toBe(first);
    const outputs = proc.execute();
    proc.resume();
    await Promise.all([first, outputs]);
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('rejects stepping a process from inside its own step', async () => {
    let inner: Promise<void> | undefined;
    class Reentrant extends Process {
      override run(): void {
        inner = this.stepUntilTerminated();
      }
    }
    await new Reentrant().execute();
    await expect(inner).rejects.toThrow('The process is already being stepped');
  });

  it('runs ThreeSteps with its output', async () => {
    const proc = new ThreeSteps();
    expect(await proc.execute()).toEqual({ test: 5 });
  });
});

describe('results', () => {
  it('returns the plain return value as a successful result', async () => {
    class Returns extends Process {
      override run(): { answer: number } {
        return { answer: 42 };
      }
    }
    const proc = new Returns();
    await proc.execute();
    expect(proc.result()).toEqual({ answer: 42 });
    expect(proc.isSuccessful).toBe(true);
  });

  it('finishes unsuccessfully with an UnsuccessfulResult (plumpy test_unsuccessful_result)', async () => {
    class Proc extends Process {
      override run(): UnsuccessfulResult<number> {
        return new UnsuccessfulResult(256);
      }
    }
    const proc = new Proc();
    await proc.execute();
    expect(proc.result()).toBe(256);
    expect(proc.isSuccessful).toBe(false);
    expect(proc.state).toBe(ProcessState.FINISHED);
    expect(proc.exitStatus).toBe(256);
  });

  it('honours Stop(result, successful)', async () => {
    class Stops extends Process {
      override run(): Stop {
        return new Stop('r', false);
      }
    }
    const proc = new Stops();
    await proc.execute();
    expect(proc.result()).toBe('r');
    expect(proc.isSuccessful).toBe(false);
  });

  it('finishes with a declared exit code', async () => {
    class WithExitCodes extends Process<{ fail: boolean }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('fail', { validType: Boolean, default: true });
        spec.exitCode(400, 'ERROR_BAD', 'something was bad');
      }
      override run(): ExitCode {
        return this.inputs.fail ? this.exitCodes.ERROR_BAD! : new ExitCode(0);
      }
    }
    const failing = new WithExitCodes();
    await failing.execute();
    expect(failing.state).toBe(ProcessState.FINISHED);
    expect(failing.exitStatus).toBe(400);
    expect(failing.exitMessage).toBe('something was bad');
    expect(failing.isSuccessful).toBe(false);
    expect(failing.result()).toBeInstanceOf(ExitCode);
    expect((failing.result() as ExitCode).toJSON()).toEqual({ status: 400, name: 'ERROR_BAD', message: 'something was bad' });

    const passing = new WithExitCodes({ inputs: { fail: false } });
    await passing.execute();
    expect(passing.exitStatus).toBe(0);
    expect(passing.isSuccessful).toBe(true);
  });

  it('throws InvalidStateError for result() before termination', () => {
    expect(() => new DummyProcess().result()).toThrow(InvalidStateError);
    expect(new DummyProcess().exception()).toBeUndefined();
    expect(new DummyProcess().killedMsg()).toBeUndefined();
  });

  it('settles future() at termination without driving the process', async () => {
    const proc = new WaitForSignalProcess();
    const future = proc.future();
    expect(proc.future()).toBe(future);
    const driving = proc.stepUntilTerminated();
    proc.resume();
    await driving;
    await expect(future).resolves.toEqual({});
    await expect(proc.future()).resolves.toEqual({});

    const killed = new WaitForSignalProcess();
    const killedFuture = killed.future();
    await killed.kill('bye');
    await expect(killedFuture).rejects.toThrow('bye');
  });
});

describe('outputs', () => {
  it('excepts on an output that is not in the spec (plumpy test_invalid_output)', async () => {
    class InvalidOutput extends Process {
      override run(): void {
        this.out('invalid', 5);
      }
    }
    const proc = new InvalidOutput();
    await expect(proc.execute()).rejects.toThrow(PortValidationError);
    expect(proc.isExcepted).toBe(true);
    expect(proc.exception()?.message).toBe(
      'Error occurred validating port \'outputs\': Unexpected ports {"invalid":5}, for a non dynamic namespace',
    );
  });

  it('excepts on an output of the wrong type', async () => {
    class WrongType extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.output('x', { validType: Number });
      }
      override run(): void {
        this.out('x', 'not a number');
      }
    }
    const proc = new WrongType();
    await expect(proc.execute()).rejects.toThrow("Got 'string', expected 'Number'");
    expect(proc.state).toBe(ProcessState.EXCEPTED);
    expect(proc.outputs).toEqual({});
  });

  it('finishes unsuccessfully when a required output is missing (plumpy test_missing_output)', async () => {
    const proc = new MissingOutputProcess();
    expect(proc.isSuccessful).toBe(false);
    await proc.execute();
    expect(proc.state).toBe(ProcessState.FINISHED);
    expect(proc.isSuccessful).toBe(false);
  });

  it('validates namespaced and dynamic outputs (plumpy test_namespaced_process_outputs)', async () => {
    type Mode = 'none' | 'dynamic' | 'single' | 'both';
    class DummyDynamicProcess extends Process<{ mode: Mode }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('mode', { validType: String, default: 'none' });
        spec.output('required_bool', { validType: Boolean });
        spec.outputNamespace('integer', { validType: Number, dynamic: true });
      }
      override run(): void {
        const mode = this.inputs.mode;
        if (mode === 'single' || mode === 'both') this.out('required_bool', false);
        if (mode === 'dynamic' || mode === 'both') {
          this.out('integer.nested.one', 1);
          this.out('integer.nested.two', 2);
        }
      }
    }
    const none = new DummyDynamicProcess();
    await none.execute();
    expect(none.state).toBe('finished');
    expect(none.isSuccessful).toBe(false);
    expect(none.outputs).toEqual({});

    const dynamic = new DummyDynamicProcess({ inputs: { mode: 'dynamic' } });
    await dynamic.execute();
    expect(dynamic.isSuccessful).toBe(false);
    expect(dynamic.outputs).toEqual({ integer: { nested: { one: 1, two: 2 } } });

    const single = new DummyDynamicProcess({ inputs: { mode: 'single' } });
    await single.execute();
    expect(single.isSuccessful).toBe(true);
    expect(single.outputs).toEqual({ required_bool: false });

    const both = new DummyDynamicProcess({ inputs: { mode: 'both' } });
    await both.execute();
    expect(both.isSuccessful).toBe(true);
    expect(both.outputs).toEqual({ required_bool: false, integer: { nested: { one: 1, two: 2 } } });
  });

  it('refuses outputs after the process closed', async () => {
    const proc = new DummyProcessWithOutput();
    await proc.execute();
    expect(() => proc.out('default', 6)).toThrow(ClosedError);
  });
});
