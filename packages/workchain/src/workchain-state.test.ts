// The work chain's own state is plain data (ctx, stepper position, awaitables)
// that a checkpoint can hold; instance fields are not part of it.
import { describe, expect, it } from 'vitest';
import { WorkChain, while_, type WorkChainSpec, type WorkChainState } from './index.js';
import { ReturnValue, WaitingChild, deferred, nextTurn } from './__tests__/processes.js';

class Counting extends WorkChain<{ n: number }> {
  /** An instance field: lives only as long as this object. */
  scratch: string | undefined;

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number, default: 3 });
    spec.output('count', { validType: Number });
    spec.outline('setup', while_('more')('count'), 'report');
  }

  setup(): void {
    this.ctx.i = 0;
    this.scratch = 'set in setup';
  }

  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }

  count(): void {
    this.ctx.i = (this.ctx.i as number) + 1;
    this.ctx.scratchSeen = this.scratch ?? 'nothing';
  }

  report(): void {
    this.out('count', this.ctx.i);
  }
}

class PausingCounter extends Counting {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('setup', while_('more')('count', 'hold'), 'report');
  }

  hold(): void {
    void this.pause();
  }
}

describe('ctx', () => {
  it('persists between steps, instance fields do not persist in the saved state', async () => {
    const chain = new PausingCounter();
    const done = chain.stepUntilTerminated();
    await nextTurn();
    expect(chain.paused).toBe(true);
    expect(chain.stepperPosition).toBe('1:while_(more)');
    const saved: WorkChainState = structuredClone(chain.saveWorkChainState());
    expect(saved).toEqual({ ctx: { i: 1, scratchSeen: 'set in setup' }, stepper: [1], awaiting: [] });
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);

    const restored = new PausingCounter();
    restored.loadWorkChainState(saved);
    expect(restored.stepperPosition).toBe('1:while_(more)');
    expect(restored.ctx).toEqual({ i: 1, scratchSeen: 'set in setup' });
    const rerun = restored.stepUntilTerminated();
    await nextTurn();
    expect(restored.ctx).toEqual({ i: 2, scratchSeen: 'nothing' });
    expect(restored.scratch).toBeUndefined();
    await restored.kill();
    await chain.kill();
    await Promise.all([done, rerun]);
  });

  it('is the same object from step to step', async () => {
    const seen = new Set<object>();
    class Same extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('a', 'b');
      }

      a(): void {
        seen.add(this.ctx);
      }

      b(): void {
        seen.add(this.ctx);
      }
    }
    const chain = new Same();
    await chain.execute();
    expect(seen.size).toBe(1);
    expect(seen.has(chain.ctx)).toBe(true);
  });
});

describe('the saved state of a waiting chain', () => {
  it('names children by pid and holds settled values', async () => {
    const later = deferred<string>();
    class Waiting extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('launchAll', 'end');
      }

      launchAll(): void {
        this.toContext({
          child: this.launch(WaitingChild, { pid: 'child-pid' }),
          quick: this.launch(ReturnValue, { inputs: { value: 'q' }, pid: 'quick-pid' }),
          later: later.promise,
        });
      }

      end(): void {}
    }
    const chain = new Waiting();
    const done = chain.execute();
    await nextTurn();
    expect(chain.saveWorkChainState()).toEqual({
      ctx: {},
      stepper: [1],
      awaiting: [
        { key: 'child', kind: 'process', pid: 'child-pid', append: false, done: false, value: undefined },
        { key: 'quick', kind: 'process', pid: 'quick-pid', append: false, done: true, value: { res: 'q' } },
        { key: 'later', kind: 'promise', pid: undefined, append: false, done: false, value: undefined },
      ],
    });
    await chain.kill();
    await expect(done).rejects.toThrow();
  });

  it('is taken over by a new chain, which re-attaches to a child by pid', async () => {
    class Waiting extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
        spec.outline('launchChild', 'end');
      }

      launchChild(): void {
        this.toContext({ child: this.launch(WaitingChild, { pid: 'child-pid' }) });
      }

      end(): void {
        this.out('child', this.ctx.child);
      }
    }
    const original = new Waiting();
    const originalDone = original.stepUntilTerminated();
    await nextTurn();
    const saved = structuredClone(original.saveWorkChainState());
    const child = original.runningChildren[0] as WaitingChild;

    const restored = new Waiting();
    restored.loadWorkChainState(saved);
    expect(restored.awaiting).toEqual(saved.awaiting);
    expect(restored.reattachChild(child)).toBe(true);
    expect(restored.reattachChild(new WaitingChild({ pid: 'other' }))).toBe(false);
    // Stepping the restored chain: its position is past launchChild, so it only waits.
    const restoredDone = restored.execute();
    await nextTurn();
    expect(restored.state).toBe('waiting');
    child.resume();
    expect(await restoredDone).toEqual({ child: { done: true } });
    await originalDone;
    expect(original.ctx).toEqual({ child: { done: true } });
  });

  it('rejects a position that is not one of the outline', () => {
    const chain = new Counting();
    expect(() => chain.loadWorkChainState({ ctx: {}, stepper: [5], awaiting: [] })).toThrow(
      'Counting: [5] is not a position in its outline',
    );
  });
});

describe('status', () => {
  it('carries the stepper position', async () => {
    const chain = new Counting({ inputs: { n: 1 } });
    expect(chain.getStatusInfo()).toMatchObject({ state: 'created', stepper: '0:setup' });
    await chain.execute();
    expect(chain.getStatusInfo()).toMatchObject({ state: 'finished', stepper: '' });
    expect(chain.outputs).toEqual({ count: 1 });
  });
});
