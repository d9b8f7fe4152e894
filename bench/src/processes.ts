/**
 * The `processes` workload of shared/bench/WORKLOADS.md: construct and execute N
 * trivial processes one after another. Each declares input `a` (Number) and output
 * `x` (Number); `run()` emits `x = 1`; the outputs are checked.
 */
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { timeSequential, type Measurement } from './measurement.js';

class TrivialProcess extends Process<{ a: number }, { x: number }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number });
    spec.output('x', { validType: Number });
  }

  override run(): void {
    this.out('x', 1);
  }
}

async function executeOne(i: number): Promise<void> {
  const outputs = await new TrivialProcess({ inputs: { a: i } }).execute();
  if (outputs.x !== 1) throw new Error(`unexpected outputs ${JSON.stringify(outputs)}`);
}

/** Runs the `processes` workload (n = 20000) and returns its measurement. */
export async function processesWorkload(n = 20_000): Promise<Measurement[]> {
  const heapBefore = process.memoryUsage().heapUsed;
  const measured = await timeSequential('processes', n, executeOne, { mode: 'sequential' });
  measured.heap_delta_mb = Math.round(((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20) * 100) / 100;
  return [measured];
}
