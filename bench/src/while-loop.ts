/**
 * The `while_loop` workload of shared/bench/WORKLOADS.md: one work chain whose
 * `while_` loop runs N passes, each incrementing `ctx.i`.
 */
import { WorkChain, while_, type WorkChainSpec } from '@plumpy-ts/workchain';
import { measurement, warmupCount, type Measurement } from './measurement.js';

class WhileLoopChain extends WorkChain<{ n: number }> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number });
    spec.outline('setup', while_('more')('increment'));
  }

  setup(): void {
    this.ctx.i = 0;
  }

  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }

  increment(): void {
    this.ctx.i = (this.ctx.i as number) + 1;
  }
}

async function runLoop(n: number): Promise<void> {
  const chain = new WhileLoopChain({ inputs: { n } });
  await chain.execute();
  if (chain.ctx.i !== n) throw new Error(`the loop ran ${String(chain.ctx.i)} passes, not ${n}`);
}

/** Runs the `while_loop` workload (n = 200000 passes) and returns its measurement. */
export async function whileLoopWorkload(n = 200_000): Promise<Measurement[]> {
  await runLoop(warmupCount(n));
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  await runLoop(n);
  const elapsed = process.hrtime.bigint() - start;
  const heapDeltaMb = Math.round(((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20) * 100) / 100;
  return [measurement('while_loop', n, elapsed, { heap_delta_mb: heapDeltaMb })];
}
