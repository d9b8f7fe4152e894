// Saving work chains: ports of plumpy's persistence tests (tests/test_workchains.py
// test_if_block_persistence and test_listener_persistence, tests/test_processes.py
// TestProcessSaving with check_process_against_snapshots) for work chains.
import {
  Bundle,
  InMemoryPersister,
  LoadSaveContext,
  PersistenceError,
  deserializeBundle,
  serializeBundle,
  type SavedState,
} from '@plumpy-ts/persistence';
import { describe, expect, it } from 'vitest';
import { KilledError, ProcessState } from '@plumpy-ts/process';
import { WorkChain, return_, while_, type WorkChainSpec } from './index.js';
import { WaitingChild, nextTurn } from './__tests__/processes.js';
import { checkProcessSnapshots, checkRoundTrip, comparableStates, until } from '@plumpy-ts/process/testkit';
import { IfTest, SumOfDoubles, Wf } from './__tests__/saving-chains.js';

describe('continuing from every snapshot (plumpy check_process_against_snapshots)', () => {
  it.each([
    ['A', ['s1', 'isA', 's2', 's5', 's6', 's6', 's6', 'ltN']],
    ['B', ['s1', 'isA', 'isB', 's3', 's5', 's6', 's6', 's6', 'ltN']],
    ['C', ['s1', 'isA', 'isB', 's4', 's5', 's6', 's6', 's6', 'ltN']],
  ])('gives the same later snapshots for Wf with value %s (test_checkpointing)', async (value, ran) => {
    const snapshots = await checkProcessSnapshots(() => new Wf({ inputs: { value } }));
    const last = snapshots[snapshots.length - 1]!;
    expect(last.state.ctx).toEqual({ ran, counter: 3 });
    expect((last.state.state as { label: string }).label).toBe('finished');
  });

  it('gives the same later snapshots for a chain waiting on children, re-attaching them by pid', async () => {
    const snapshots = await checkProcessSnapshots(() => new SumOfDoubles({ inputs: { n: 2 } }));
    const labels = comparableStates(snapshots).map((state) => (state.state as { label: string }).label);
    expect(labels.filter((label) => label === 'waiting')).toHaveLength(3);
    const last = snapshots[snapshots.length - 1]!;
    expect(last.state.outputs).toEqual({ total: 2 + 4 + 20 + 40 });
    const waiting = snapshots.find((bundle) => (bundle.state.state as { label: string }).label === 'waiting')!;
    expect(waiting.state.awaiting).toEqual([
      { key: 'ys', kind: 'process', pid: `${String(waiting.pid)}/doubler-1`, append: true, done: false, value: undefined },
    ]);
  });

  it('gives the same later snapshots for a chain that ends with return_', async () => {
    class Returning extends WorkChain {
      static readonly processId = 'workchain-tests/Returning';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.exitCode(410, 'GONE', 'it is gone');
        spec.outline('first', while_('always')('second', return_('GONE')));
      }
      first(): void {
        this.ctx.first = true;
      }
      always(): boolean {
        return true;
      }
      second(): void {
        this.ctx.second = true;
      }
    }
    const snapshots = await checkProcessSnapshots(() => new Returning());
    const last = snapshots[snapshots.length - 1]!.unbundle<Returning>();
    expect(last.exitStatus).toBe(410);
    expect(last.isSuccessful).toBe(false);
  });
});

describe('bundle → unbundle → bundle in every state', () => {
  it('round-trips a created chain without rerunning creation hooks', () => {
    const chain = new Wf({ inputs: { value: 'B', n: 2 } });
    const created = Wf.created;
    const loaded = checkRoundTrip(chain);
    expect(Wf.created).toBe(created);
    expect(loaded.state).toBe(ProcessState.CREATED);
    expect(loaded.inputs).toEqual({ value: 'B', n: 2 });
    expect(loaded.ctx).toEqual({ ran: [] });
    expect(loaded.stepperPosition).toBe('0:s1');
  });

  it('round-trips a chain paused between steps, with its position and status', async () => {
    const chain = new Wf({ inputs: { n: 5 } });
    chain.addProcessListener({
      onProcessRunning: (proc) => {
        if ((proc.ctx.counter as number | undefined) === 2) void proc.pause('halfway');
      },
    });
    const driving = chain.stepUntilTerminated();
    await until(chain, () => chain.paused);
    const loaded = checkRoundTrip(chain);
    expect(loaded.paused).toBe(true);
    expect(loaded.status).toBe('halfway');
    expect(loaded.stepperPosition).toBe(chain.stepperPosition);
    expect(loaded.stepperPosition).toBe('3:while_(ltN)');
    expect(loaded.getStatusInfo()).toEqual(chain.getStatusInfo());
    expect(loaded.ctx).toEqual(chain.ctx);
    expect(loaded.ctx).not.toBe(chain.ctx);

    const finishing = loaded.execute();
    loaded.play();
    await finishing;
    expect(loaded.ctx.counter).toBe(5);
    expect(chain.ctx.counter).toBe(2); // the original is untouched
    await chain.kill();
    await driving;
  });

  it('round-trips finished, excepted and killed chains', async () => {
    const finished = new Wf({ inputs: { n: 1 } });
    await finished.execute();
    const loadedFinished = checkRoundTrip(finished);
    expect(loadedFinished.isSuccessful).toBe(true);
    expect(loadedFinished.stepperPosition).toBe('');

    class Failing extends WorkChain {
      static readonly processId = 'workchain-tests/Failing';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('first', 'boom');
      }
      first(): void {
        this.ctx.first = 1;
      }
      boom(): void {
        throw new RangeError('no more');
      }
    }
    const excepted = new Failing();
    await expect(excepted.execute()).rejects.toThrow('no more');
    const loadedExcepted = checkRoundTrip(excepted);
    expect(loadedExcepted.exception()).toMatchObject({ name: 'RangeError', message: 'no more' });
    expect(loadedExcepted.ctx).toEqual({ first: 1 });

    const killed = new SumOfDoubles();
    const killing = killed.execute();
    await until(killed, () => killed.state === ProcessState.WAITING);
    await killed.kill('enough');
    await expect(killing).rejects.toThrow(KilledError);
    expect(killed.awaiting).toEqual([]); // nothing waits for the children any more
    const loadedKilled = checkRoundTrip(killed);
    expect(loadedKilled.killedMsg()).toEqual({ message: 'enough', force: false });
  });

  it('round-trips a waiting chain through text (superjson)', async () => {
    const chain = new SumOfDoubles({ inputs: { n: 1 } });
    const driving = chain.stepUntilTerminated();
    await until(chain, () => chain.state === ProcessState.WAITING && (chain.ctx.ys as unknown[] | undefined) !== undefined);
    const bundle = new Bundle(chain);
    expect(bundle.state.ctx).toEqual({ i: 1, ys: [{ y: 2 }] });
    expect(bundle.state.stepper).toEqual([3]);
    const text = serializeBundle(bundle);
    const fromText = deserializeBundle(text, 'test');
    expect(fromText.toData()).toEqual(bundle.toData());
    const loaded = fromText.unbundle<SumOfDoubles>();
    expect(new Bundle(loaded)).toEqual(bundle);
    expect(await loaded.execute()).toEqual({ total: 2 + 20 + 40 });
    await driving;
  });
});

describe('plumpy test_if_block_persistence', () => {
  it('recreates a chain paused inside an if_ block, which then finishes the block', async () => {
    const chain = new IfTest();
    const driving = chain.stepUntilTerminated();
    await until(chain, () => chain.paused);
    expect(chain.ctx).toEqual({ s1: true, s2: false });

    const bundle = new Bundle(chain);
    const chain2 = bundle.unbundle<IfTest>();
    expect(chain2.ctx).toEqual({ s1: true, s2: false });
    expect(new Bundle(chain2)).toEqual(bundle);
    expect(chain2.stepperPosition).toBe('if_(condition)(1:step2)');

    chain.play();
    await driving;
    expect(chain.ctx).toEqual({ s1: true, s2: true });

    const running2 = chain2.execute();
    chain2.play();
    await running2;
    expect(chain2.ctx).toEqual({ s1: true, s2: true });
  });
});

describe('checkpoints taken inside a step', () => {
  const persister = new InMemoryPersister();

  class CheckpointInSteps extends WorkChain<Record<string, never>, { trace: string[] }> {
    static readonly processId = 'workchain-tests/CheckpointInSteps';
    static override define(spec: WorkChainSpec): void {
      super.define(spec);
      spec.output('trace');
      spec.outline('first', 'second', 'third');
    }
    async first(): Promise<void> {
      this.ctx.trace = ['first'];
      await persister.saveCheckpoint(this, 'first');
    }
    async second(): Promise<void> {
      (this.ctx.trace as string[]).push('second');
      // Registered before the checkpoint: not part of it, registered again when the step reruns.
      this.toContext({ child: this.launch(WaitingChild) });
      await persister.saveCheckpoint(this, 'second');
      (this.runningChildren[0] as WaitingChild).resume();
    }
    third(): void {
      (this.ctx.trace as string[]).push('third');
      this.out('trace', this.ctx.trace);
    }
  }

  it('saves the chain at that step, with the context as it was; the recreated chain reruns the step', async () => {
    const chain = new CheckpointInSteps();
    expect(await chain.execute()).toEqual({ trace: ['first', 'second', 'third'] });

    const second = await persister.loadCheckpoint(String(chain.pid), 'second');
    expect(second.state.ctx).toEqual({ trace: ['first', 'second'] });
    expect(second.state.stepper).toEqual([1]);
    expect(second.state.awaiting).toBeUndefined();
    const restored = second.unbundle<CheckpointInSteps>();
    expect(restored.stepperPosition).toBe('1:second');
    expect(restored.awaiting).toEqual([]);
    expect(await restored.execute()).toEqual({ trace: ['first', 'second', 'second', 'third'] });
    expect(restored.ctx.child).toEqual({ done: true });

    const first = (await persister.loadCheckpoint(String(chain.pid), 'first')).unbundle<CheckpointInSteps>();
    expect(first.ctx).toEqual({ trace: ['first'] });
    expect(await first.execute()).toEqual({ trace: ['first', 'second', 'third'] });
  });
});

// A listener that can be saved with the process (save + static recreateFromSavedState).
let finishedCount = 0;
class FinishCounter {
  static readonly processId = 'workchain-tests/FinishCounter';
  onProcessFinished(): void {
    finishedCount += 1;
  }
  save(): SavedState {
    return {};
  }
  static recreateFromSavedState(): FinishCounter {
    return new FinishCounter();
  }
}

describe('plumpy test_listener_persistence', () => {
  it('restores a savable listener with the chain, which hears the recreated chain finish', async () => {
    const persister = new InMemoryPersister();
    class SimpleWorkChain extends WorkChain {
      static readonly processId = 'workchain-tests/ListenedWorkChain';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('step1', 'step2');
      }
      async step1(): Promise<void> {
        await persister.saveCheckpoint(this, 'step1');
      }
      async step2(): Promise<void> {
        await persister.saveCheckpoint(this, 'step2');
      }
    }
    finishedCount = 0;
    const chain = new SimpleWorkChain();
    chain.addProcessListener(new FinishCounter());
    await chain.execute();
    expect(finishedCount).toBe(1);

    const restored = (await persister.loadCheckpoint(String(chain.pid), 'step1')).unbundle<SimpleWorkChain>();
    await restored.execute();
    expect(finishedCount).toBe(2);
  });
});

describe('what cannot be saved', () => {
  it('refuses a chain waiting for a promise, naming the context key', async () => {
    let release!: (value: string) => void;
    class PromiseWaiter extends WorkChain {
      static readonly processId = 'workchain-tests/PromiseWaiter';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('start', 'end');
      }
      start(): void {
        this.toContext({ 'data.answer': new Promise<string>((resolve) => (release = resolve)) });
      }
      end(): void {}
    }
    const chain = new PromiseWaiter();
    const running = chain.execute();
    await until(chain, () => chain.state === ProcessState.WAITING);
    expect(() => new Bundle(chain)).toThrow(PersistenceError);
    expect(() => new Bundle(chain)).toThrow(/waiting for the promise put into the context as 'data\.answer'/);
    await expect(new InMemoryPersister().saveCheckpoint(chain)).rejects.toThrow(PersistenceError);

    // Settled (not yet put into the context): its value is saved.
    release('42');
    await Promise.resolve();
    const bundle = new Bundle(chain);
    expect(bundle.state.awaiting).toEqual([
      { key: 'data.answer', kind: 'promise', pid: undefined, append: false, done: true, value: '42' },
    ]);
    const loaded = bundle.unbundle<PromiseWaiter>();
    await loaded.execute();
    expect(loaded.ctx).toEqual({ data: { answer: '42' } });
    await running;
  });

  it('refuses a context value that is not plain data, naming its path', () => {
    class Holder extends WorkChain {
      static readonly processId = 'workchain-tests/Holder';
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('start');
      }
      start(): void {}
    }
    const chain = new Holder();
    chain.ctx.nested = { handle: () => 1 };
    expect(() => new Bundle(chain)).toThrow(PersistenceError);
    expect(() => new Bundle(chain)).toThrow("'state.ctx.nested.handle'");
    chain.ctx.nested = { when: new Date(0), ids: new Set([1, 2]) };
    expect(checkRoundTrip(chain).ctx).toEqual({ nested: { when: new Date(0), ids: new Set([1, 2]) } });
  });

  it('reports a malformed saved state with a PersistenceError naming the key', () => {
    const bundle = new Bundle(new Wf());
    const broken = (state: Record<string, unknown>): Bundle => Bundle.fromData({ ...bundle.toData(), state: { ...bundle.state, ...state } });
    expect(() => broken({ ctx: 5 }).unbundle()).toThrow(/saved 'ctx' is malformed/);
    expect(() => broken({ stepper: [9] }).unbundle()).toThrow(/saved 'stepper' \[9\] is not a position in its outline/);
    expect(() => broken({ stepper: 'x' }).unbundle()).toThrow(PersistenceError);
    expect(() => broken({ awaiting: [{ key: 'k', kind: 'child', append: false, done: false }] }).unbundle()).toThrow(
      /saved 'awaiting\[0\]\.kind' is malformed/,
    );
    expect(() => broken({ awaiting: [{ key: 'k', kind: 'promise', append: false, done: false }] }).unbundle()).toThrow(
      /the promise awaited as 'k' has not settled/,
    );
  });
});

describe('a process that is not a work chain', () => {
  it('is not affected: its saved state has no work chain keys', () => {
    const bundle = new Bundle(new WaitingChild());
    expect(bundle.state).not.toHaveProperty('ctx');
    expect(bundle.state).not.toHaveProperty('stepper');
  });
});

describe('the context passed on load', () => {
  it('gives the recreated chain its logger', async () => {
    const errors: unknown[][] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args), warn: () => {}, info: () => {}, debug: () => {} };
    const chain = new Wf({ inputs: { n: 1 } });
    const loaded = new Bundle(chain).unbundle<Wf>(new LoadSaveContext({ logger }));
    expect(loaded.logger).toBe(logger);
    await loaded.execute();
    await nextTurn();
    expect(errors).toEqual([]);
  });
});
