/**
 * The `checkpoint.memory` and `checkpoint.file` workloads of
 * shared/bench/WORKLOADS.md: a paused WorkChain whose `ctx.data` holds 100
 * small entries is saved N times, then loaded and unbundled N times, with the
 * in-memory and the file persister.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryPersister, type Persister } from '@plumpy-ts/persistence';
import { FilePersister } from '@plumpy-ts/persistence-file';
import { WorkChain, type WorkChainSpec } from '@plumpy-ts/workchain';
import { measurement, warmupCount, type Measurement } from './measurement.js';

/** Fills `ctx.data` with 100 entries, then pauses itself before its last step. */
class CheckpointedChain extends WorkChain {
  static readonly processId = 'bench/CheckpointedChain';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('fill', 'hold', 'finish');
  }

  fill(): void {
    const data: Record<string, { value: number; label: string }> = {};
    for (let i = 0; i < 100; i += 1) data[`key_${i}`] = { value: i, label: `item-${i}` };
    this.ctx.data = data;
  }

  hold(): void {
    void this.pause();
  }

  finish(): void {}
}

/** A work chain paused after filling its ctx, and the promise of its driving loop. */
async function pausedChain(pid: string): Promise<{ chain: CheckpointedChain; driving: Promise<void> }> {
  const chain = new CheckpointedChain({ pid });
  const driving = chain.stepUntilTerminated();
  for (let turn = 0; !chain.paused; turn += 1) {
    if (turn > 100) throw new Error('the work chain did not pause');
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { chain, driving };
}

async function measurePersister(name: string, persister: Persister, n: number, extra: Record<string, unknown>): Promise<Measurement[]> {
  const { chain, driving } = await pausedChain(`bench-${name}`);
  const warmup = warmupCount(n);
  for (let i = 0; i < warmup; i += 1) await persister.saveCheckpoint(chain);
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await persister.saveCheckpoint(chain);
  const save = measurement(`checkpoint.${name}.save`, n, process.hrtime.bigint() - start, extra);

  let loaded: CheckpointedChain | undefined;
  for (let i = 0; i < warmup; i += 1) loaded = (await persister.loadCheckpoint(chain.pid)).unbundle<CheckpointedChain>();
  start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) loaded = (await persister.loadCheckpoint(chain.pid)).unbundle<CheckpointedChain>();
  const load = measurement(`checkpoint.${name}.load`, n, process.hrtime.bigint() - start, extra);

  const data = loaded?.ctx.data;
  if (typeof data !== 'object' || data === null || Object.keys(data).length !== 100 || loaded?.paused !== true) {
    throw new Error('the loaded checkpoint is not the paused work chain with 100 ctx entries');
  }
  await chain.kill();
  await driving;
  return [save, load];
}

const workchain = 'paused WorkChain, ctx.data with 100 entries';

/** Runs `checkpoint.memory.save/load` and `checkpoint.file.save/load` (n = 5000 each by default). */
export async function checkpoints(n = 5000): Promise<Measurement[]> {
  const results = await measurePersister('memory', new InMemoryPersister(), n, { process: workchain });
  const directory = mkdtempSync(join(tmpdir(), 'plumpy-bench-'));
  try {
    results.push(
      ...(await measurePersister('file', new FilePersister({ directory }), n, { process: workchain, directory: tmpdir() })),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return results;
}
