// The README's usage example, as written there.
import { expect, it } from 'vitest';
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { WorkChain, append_, if_, return_, while_, type WorkChainSpec } from './index.js';

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
