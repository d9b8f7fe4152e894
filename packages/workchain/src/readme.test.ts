// The README's usage example, as written there.
import { Bundle, InMemoryPersister, LoadSaveContext } from '@plumpy-ts/persistence';
import { expect, it } from 'vitest';
import { Process, type AnyProcess, type ProcessListener, type ProcessSpec } from '@plumpy-ts/process';
import { CHILD_RESOLVER_KEY, WorkChain, append_, if_, return_, while_, type ChildResolver, type WorkChainSpec } from './index.js';

class Square extends Process<{ x: number }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('x', { validType: Number });
    spec.output('y', { validType: Number });
  }
  override run(): void {
    this.out('y', this.inputs.x ** 2);
  }
}

class SumOfSquares extends WorkChain<{ n: number }, { total: number }> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number });
    spec.output('total', { validType: Number });
    spec.exitCode(400, 'ERROR_NEGATIVE', 'n must not be negative');
    spec.outline('setup', if_('negative')(return_('ERROR_NEGATIVE')), while_('more')('launchSquare'), 'sum');
  }

  setup(): void {
    this.ctx.i = 0;
  }
  negative(): boolean {
    return this.inputs.n < 0;
  }
  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }
  launchSquare(): void {
    const x = (this.ctx.i = (this.ctx.i as number) + 1);
    this.toContext({ squares: append_(this.launch(Square, { inputs: { x } })) });
  }
  sum(): void {
    const squares = (this.ctx.squares ?? []) as { y: number }[];
    this.out('total', squares.reduce((total, square) => total + square.y, 0));
  }
}

it('runs the README example', async () => {
  expect(await new SumOfSquares({ inputs: { n: 3 } }).execute()).toEqual({ total: 14 });
  const failing = new SumOfSquares({ inputs: { n: -1 } });
  await failing.execute();
  expect([failing.exitStatus, failing.isSuccessful]).toEqual([400, false]);
});

// ---------------------------------------------------------------- Persistence

const persister = new InMemoryPersister();

class Checkpointed extends WorkChain {
  static readonly processId = 'readme/Checkpointed';
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('first', 'second');
  }
  async first(): Promise<void> {
    this.ctx.n = 1;
    await persister.saveCheckpoint(this, 'first');
  }
  second(): void {
    this.ctx.n = (this.ctx.n as number) + 1;
  }
}

it('runs the README persistence example', async () => {
  const chain = new Checkpointed();
  await chain.execute();
  const again = (await persister.loadCheckpoint(String(chain.pid), 'first')).unbundle<Checkpointed>();
  expect([again.ctx, again.stepperPosition]).toEqual([{ n: 1 }, '0:first']);
  await again.execute();
  expect(again.ctx).toEqual({ n: 2 });
});

it("runs the README resolver example (children finished and checkpointed when they ended)", async () => {
  const checkpointAtEnd: ProcessListener<AnyProcess> = { onProcessFinished: (p) => void persister.saveCheckpoint(p) };
  class Parent extends WorkChain {
    static readonly processId = 'readme/Parent';
    static override define(spec: WorkChainSpec): void {
      super.define(spec);
      spec.outline('launchAll', 'sum');
      spec.output('total');
    }
    launchAll(): void {
      for (const x of [1, 2]) {
        const child = this.launch(Square, { inputs: { x } });
        child.addProcessListener(checkpointAtEnd);
        this.toContext({ squares: append_(child) });
      }
    }
    sum(): void {
      this.out('total', (this.ctx.squares as { y: number }[]).reduce((total, square) => total + square.y, 0));
    }
  }
  const original = new Parent();
  let bundle: Bundle | undefined;
  original.addProcessListener({ onProcessWaiting: (p) => (bundle ??= new Bundle(p)) });
  await original.execute();
  await new Promise((resolve) => setImmediate(resolve));

  const awaitChild: ChildResolver = async (pid) => (await persister.loadCheckpoint(pid)).unbundle<Process>().future();
  const chain = bundle!.unbundle<Parent>(new LoadSaveContext({ [CHILD_RESOLVER_KEY]: awaitChild }));
  expect(await chain.execute()).toEqual({ total: 5 });
});
