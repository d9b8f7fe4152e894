/**
 * The `concurrent` workload of shared/bench/WORKLOADS.md: N work chains of 3
 * steps, where step 2 puts a promise that resolves on the next tick into the
 * context; all are constructed, then all run concurrently (`Promise.all` of
 * `stepUntilTerminated()`). Also reports the heap used per live work chain at
 * the peak (all chains constructed and waiting).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WorkChain, type WorkChainSpec } from '@plumpy-ts/workchain';
import { measurement, warmupCount, type Measurement } from './measurement.js';

class ThreeStepChain extends WorkChain {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('step1', 'step2', 'step3');
  }

  step1(): void {
    this.ctx.started = true;
  }

  step2(): void {
    this.toContext({ value: new Promise<number>((resolve) => process.nextTick(resolve, 1)) });
  }

  step3(): void {
    if (this.ctx.value !== 1) throw new Error(`ctx.value is ${String(this.ctx.value)}`);
  }
}

/** A garbage collection, so that heap figures count live objects only (`--expose-gc` set at run time). */
function collectGarbage(): void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) {
    existing();
    return;
  }
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Run {
  elapsed: bigint;
  peakBytesPerChain: number;
}

async function runConcurrently(n: number): Promise<Run> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const chains: ThreeStepChain[] = [];
  for (let i = 0; i < n; i += 1) chains.push(new ThreeStepChain());
  const all = Promise.all(chains.map((chain) => chain.stepUntilTerminated()));
  // Every chain is now WAITING for its promise: the peak of live chains.
  const peak = process.memoryUsage().heapUsed;
  await all;
  const elapsed = process.hrtime.bigint() - start;
  for (const chain of chains) {
    if (!chain.isSuccessful) throw new Error(`a chain ended ${chain.state}: ${String(chain.exception())}`);
  }
  return { elapsed, peakBytesPerChain: Math.round((peak - heapBefore) / n) };
}

/** Runs the `concurrent` workload (n = 10000 chains) and returns its measurement. */
export async function concurrentWorkload(n = 10_000): Promise<Measurement[]> {
  await runConcurrently(warmupCount(n));
  const run = await runConcurrently(n);
  return [measurement('concurrent', n, run.elapsed, { heap_per_live_chain_bytes: run.peakBytesPerChain })];
}
