// toContext: promises and child processes put the chain in WAITING until all
// settle; their values land in ctx; append_ collects; failures make it EXCEPTED.
import { describe, expect, it } from 'vitest';
import { KilledError, type ProcessSpec, Process } from '@plumpy-ts/process';
import { AwaitableFailedError, WorkChain, append_, type WorkChainSpec } from './index.js';
import { ReturnValue, WaitingChild, deferred, nextTurn, type Deferred } from './__tests__/processes.js';

/** step1 registers whatever `register` gives; step2 records ctx. */
function chainRegistering(register: (chain: WorkChain) => void) {
  const seen: unknown[] = [];
  class Registering extends WorkChain {
    static override define(spec: WorkChainSpec): void {
      super.define(spec);
      spec.outline('step1', 'step2');
    }

    step1(): void {
      register(this);
    }

    step2(): void {
      seen.push(structuredClone(this.ctx));
    }
  }
  return { chain: new Registering(), seen };
}

describe('waiting for awaitables', () => {
  it('WAITs until every awaitable has settled, then puts all values into ctx at once', async () => {
    const first: Deferred<number> = deferred();
    const second: Deferred<string> = deferred();
    const { chain, seen } = chainRegistering((wc) => wc.toContext({ first: first.promise, second: second.promise }));
    const done = chain.stepUntilTerminated();
    expect(chain.state).toBe('waiting');
    expect(chain.getStatusInfo()).toMatchObject({ state: 'waiting', paused: false, stepper: '1:step2' });
    expect(chain.awaiting).toEqual([
      { key: 'first', kind: 'promise', pid: undefined, append: false, done: false, value: undefined },
      { key: 'second', kind: 'promise', pid: undefined, append: false, done: false, value: undefined },
    ]);
    second.resolve('two');
    await nextTurn();
    expect(chain.state).toBe('waiting');
    expect(chain.ctx).toEqual({});
    expect(chain.awaiting[1]).toMatchObject({ done: true, value: 'two' });
    first.resolve(1);
    await done;
    expect(chain.isSuccessful).toBe(true);
    expect(seen).toEqual([{ first: 1, second: 'two' }]);
    expect(chain.awaiting).toEqual([]);
  });

  it("puts a child process's outputs into ctx, naming it by pid meanwhile", async () => {
    const { chain, seen } = chainRegistering((wc) =>
      wc.toContext({ child: wc.launch(ReturnValue, { inputs: { value: 7 }, pid: 'child-7' }) }),
    );
    const done = chain.stepUntilTerminated();
    expect(chain.awaiting).toEqual([
      { key: 'child', kind: 'process', pid: 'child-7', append: false, done: false, value: undefined },
    ]);
    await done;
    expect(seen).toEqual([{ child: { res: 7 } }]);
  });

  it('goes on without waiting when the awaitables settled during an async step', async () => {
    const states: string[] = [];
    class AsyncRegistering extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('step1', 'step2');
      }

      async step1(): Promise<void> {
        const value = Promise.resolve(3);
        this.toContext({ value });
        await value;
        await nextTurn();
      }

      step2(): void {
        states.push(`${this.state} ${String(this.ctx.value)}`);
      }
    }
    const chain = new AsyncRegistering();
    chain.addProcessListener({ onProcessWaiting: () => states.push('waiting') });
    await chain.execute();
    expect(states).toEqual(['running 3']);
  });

  it('resumes when the awaitables settle after an async step returned but before it entered WAITING', async () => {
    class LateAsync extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
        spec.outline('launchAndRelease', 'end');
      }

      async launchAndRelease(): Promise<void> {
        const child = this.launch(WaitingChild);
        this.toContext({ child });
        await nextTurn();
        // The child finishes while this step's result is still on its way to the process.
        child.resume();
      }

      end(): void {
        this.out('child', this.ctx.child);
      }
    }
    const chain = new LateAsync();
    expect(await chain.execute()).toEqual({ child: { done: true } });
  });

  it('waits for awaitables registered by the last step before finishing', async () => {
    const later: Deferred<string> = deferred();
    class LastStep extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('only');
      }

      only(): void {
        this.toContext({ later: later.promise });
      }
    }
    const chain = new LastStep();
    const done = chain.execute();
    expect(chain.state).toBe('waiting');
    later.resolve('done');
    await done;
    expect(chain.state).toBe('finished');
    expect(chain.ctx).toEqual({ later: 'done' });
  });

  it('keeps waiting if resumed from outside before the awaitables settled', async () => {
    const later: Deferred<number> = deferred();
    const { chain, seen } = chainRegistering((wc) => wc.toContext({ later: later.promise }));
    const done = chain.stepUntilTerminated();
    chain.resume();
    await nextTurn();
    expect(chain.state).toBe('waiting');
    later.resolve(1);
    await done;
    expect(seen).toEqual([{ later: 1 }]);
  });

  it('waits, before its first step, for awaitables registered before it ran', async () => {
    const { chain, seen } = chainRegistering(() => undefined);
    chain.toContext({ early: Promise.resolve('e') });
    await chain.execute();
    expect(seen).toEqual([{ early: 'e' }]);
    const failing = chainRegistering(() => undefined);
    failing.chain.toContext({ early: Promise.reject(new Error('too early')) });
    await expect(failing.chain.execute()).rejects.toThrow("The awaitable 'early' failed: Error: too early");
    expect(failing.seen).toEqual([]);
  });

  it('puts values under dotted keys into nested objects', async () => {
    const { chain, seen } = chainRegistering((wc) => {
      wc.ctx.results = { kept: true };
      wc.toContext({ 'results.a': Promise.resolve(1), 'results.deep.b': Promise.resolve(2) });
    });
    await chain.execute();
    expect(seen).toEqual([{ results: { kept: true, a: 1, deep: { b: 2 } } }]);
  });

  it('overwrites a key registered twice with the later registration', async () => {
    const slow: Deferred<string> = deferred();
    const { chain, seen } = chainRegistering((wc) => {
      wc.toContext({ key: slow.promise });
      wc.toContext({ key: Promise.resolve('second') });
    });
    const done = chain.execute();
    await nextTurn();
    slow.resolve('first');
    await done;
    expect(seen).toEqual([{ key: 'second' }]);
  });
});

describe('append_', () => {
  it('collects values into an array in registration order, whatever order they settle in', async () => {
    const slow: Deferred<string> = deferred();
    const { chain, seen } = chainRegistering((wc) => {
      wc.toContext({ results: append_(slow.promise) });
      wc.toContext({ results: append_(wc.launch(ReturnValue, { inputs: { value: 'child' } })) });
      wc.toContext({ results: append_(Promise.resolve('fast')) });
    });
    const done = chain.execute();
    await nextTurn();
    expect(chain.state).toBe('waiting');
    slow.resolve('slow');
    await done;
    expect(seen).toEqual([{ results: ['slow', { res: 'child' }, 'fast'] }]);
  });

  it('appends to an existing array, and across steps', async () => {
    const seen: unknown[] = [];
    class Appending extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('first', 'second', 'check');
      }

      first(): void {
        this.ctx.list = ['given'];
        this.toContext({ list: append_(Promise.resolve(1)) });
      }

      second(): void {
        this.toContext({ list: append_(Promise.resolve(2)), 'nested.list': append_(Promise.resolve(3)) });
      }

      check(): void {
        seen.push(this.ctx);
      }
    }
    await new Appending().execute();
    expect(seen).toEqual([{ list: ['given', 1, 2], nested: { list: [3] } }]);
  });

  it('makes the chain EXCEPTED when the key holds something other than an array', async () => {
    const { chain } = chainRegistering((wc) => {
      wc.ctx.list = 5;
      wc.toContext({ list: append_(Promise.resolve(1)) });
    });
    await expect(chain.execute()).rejects.toThrow("Cannot append to 'list' in the context: it holds a number, not an array");
  });
});

describe('failed awaitables', () => {
  it('a rejected promise makes the chain EXCEPTED, with the rejection as cause, at once', async () => {
    const never: Deferred<number> = deferred();
    const failure = new RangeError('no data');
    const { chain, seen } = chainRegistering((wc) =>
      wc.toContext({ pending: never.promise, data: Promise.reject(failure) }),
    );
    await expect(chain.execute()).rejects.toThrow("The awaitable 'data' failed: RangeError: no data");
    const error = chain.exception() as AwaitableFailedError;
    expect(error).toBeInstanceOf(AwaitableFailedError);
    expect(error.name).toBe('AwaitableFailedError');
    expect(error.key).toBe('data');
    expect(error.pid).toBeUndefined();
    expect(error.cause).toBe(failure);
    expect(seen).toEqual([]);
    never.resolve(1);
    await nextTurn();
    expect(chain.state).toBe('excepted');
  });

  it('a killed child makes the chain EXCEPTED, naming the child', async () => {
    let child!: WaitingChild;
    const { chain } = chainRegistering((wc) => {
      child = wc.launch(WaitingChild, { pid: 'waiter' });
      wc.toContext({ child });
    });
    const done = chain.execute();
    await nextTurn();
    expect(child.state).toBe('waiting');
    await child.kill('stop it');
    await expect(done).rejects.toThrow("The child process WaitingChild<waiter> awaited as 'child' was killed: stop it");
    expect((chain.exception() as AwaitableFailedError).cause).toBeInstanceOf(KilledError);
  });

  it('a failure during an async step ends the chain after that step', async () => {
    const order: string[] = [];
    class AsyncFailing extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('step1', 'step2');
      }

      async step1(): Promise<void> {
        this.toContext({ bad: Promise.reject(new Error('bad')) });
        await nextTurn();
        order.push('step1 done');
      }

      step2(): void {
        order.push('step2');
      }
    }
    const chain = new AsyncFailing();
    await expect(chain.execute()).rejects.toThrow("The awaitable 'bad' failed: Error: bad");
    expect(order).toEqual(['step1 done']);
  });

  it('a value that is neither a promise nor a process is a TypeError in the step', async () => {
    const { chain } = chainRegistering((wc) => wc.toContext({ wrong: 5 as unknown as Promise<number> }));
    await expect(chain.execute()).rejects.toThrow(
      "toContext: 'wrong' must be a promise, a child process or append_(...) of one, not 5",
    );
    expect(chain.exception()).toBeInstanceOf(TypeError);
  });
});

describe('several chains', () => {
  it('interleave while they wait, each resuming once its own awaitables settled', async () => {
    const log: string[] = [];
    const gates = [deferred<string>(), deferred<string>()];
    class Gated extends WorkChain<{ index: number }> {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.input('index', { validType: Number });
        spec.outline('start', 'end');
      }

      start(): void {
        log.push(`start ${this.inputs.index}`);
        this.toContext({ gate: gates[this.inputs.index]!.promise });
      }

      end(): void {
        log.push(`end ${this.inputs.index} ${String(this.ctx.gate)}`);
      }
    }
    const chains = [new Gated({ inputs: { index: 0 } }), new Gated({ inputs: { index: 1 } })];
    const all = Promise.all(chains.map((chain) => chain.stepUntilTerminated()));
    gates[1]!.resolve('b');
    await nextTurn();
    gates[0]!.resolve('a');
    await all;
    expect(log).toEqual(['start 0', 'start 1', 'end 1 b', 'end 0 a']);
  });

  it('a child work chain may itself wait for children', async () => {
    class Leaf extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.output('value');
      }

      override run(): void {
        this.out('value', 'leaf');
      }
    }
    class Middle extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.output('value');
        spec.outline('launchLeaf', 'report');
      }

      launchLeaf(): void {
        this.toContext({ leaf: this.launch(Leaf) });
      }

      report(): void {
        this.out('value', `middle(${(this.ctx.leaf as { value: string }).value})`);
      }
    }
    const { chain, seen } = chainRegistering((wc) => wc.toContext({ middle: wc.launch(Middle) }));
    await chain.execute();
    expect(seen).toEqual([{ middle: { value: 'middle(leaf)' } }]);
  });
});
