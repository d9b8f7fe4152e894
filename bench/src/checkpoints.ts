/**
 * The `checkpoint.memory` and `checkpoint.file` workloads of
 * shared/bench/WORKLOADS.md: save a process holding 100 small ctx entries N
 * times, then load and unbundle it N times, with the in-memory and the file
 * persister. Until the real paused WorkChain can be checkpointed, the process
 * is a minimal savable with the same ctx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClassRegistry,
  InMemoryPersister,
  type Checkpointable,
  type LoadSaveContext,
  type Persister,
  type SavedState,
} from '@plumpy-ts/persistence';
import { FilePersister } from '@plumpy-ts/persistence-file';
import { measurement, warmupCount, type Measurement } from './measurement.js';

/** A paused process stand-in: a pid, a state label and a ctx with 100 entries. */
class CtxHolder implements Checkpointable {
  static readonly processId = 'bench/CtxHolder';
  pid: string;
  state = 'waiting';
  paused = true;
  ctx: Record<string, unknown>;

  constructor(pid: string, entries: number) {
    this.pid = pid;
    const data: Record<string, { value: number; label: string }> = {};
    for (let i = 0; i < entries; i += 1) data[`key_${i}`] = { value: i, label: `item-${i}` };
    this.ctx = { data };
  }

  save(_context: LoadSaveContext): SavedState {
    return { pid: this.pid, state: this.state, paused: this.paused, ctx: this.ctx };
  }

  static recreateFromSavedState(state: SavedState): CtxHolder {
    const holder = Object.create(CtxHolder.prototype) as CtxHolder;
    holder.pid = state.pid as string;
    holder.state = state.state as string;
    holder.paused = state.paused as boolean;
    holder.ctx = state.ctx as Record<string, unknown>;
    return holder;
  }
}

async function measurePersister(name: string, persister: Persister, n: number, extra: Record<string, unknown>): Promise<Measurement[]> {
  const holder = new CtxHolder(`bench-${name}`, 100);
  const warmup = warmupCount(n);
  for (let i = 0; i < warmup; i += 1) await persister.saveCheckpoint(holder);
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await persister.saveCheckpoint(holder);
  const save = measurement(`checkpoint.${name}.save`, n, process.hrtime.bigint() - start, extra);

  let loaded: CtxHolder | undefined;
  for (let i = 0; i < warmup; i += 1) loaded = (await persister.loadCheckpoint(holder.pid)).unbundle<CtxHolder>();
  start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) loaded = (await persister.loadCheckpoint(holder.pid)).unbundle<CtxHolder>();
  const load = measurement(`checkpoint.${name}.load`, n, process.hrtime.bigint() - start, extra);
  const data = loaded?.ctx.data;
  if (typeof data !== 'object' || data === null || Object.keys(data).length !== 100) {
    throw new Error('the loaded checkpoint lost ctx entries');
  }
  return [save, load];
}

/** Runs `checkpoint.memory.save/load` and `checkpoint.file.save/load` (n = 5000 each by default). */
export async function checkpoints(n = 5000): Promise<Measurement[]> {
  ClassRegistry.default.register(CtxHolder);
  const results = await measurePersister('memory', new InMemoryPersister(), n, { process: 'savable with 100 ctx entries' });
  const directory = mkdtempSync(join(tmpdir(), 'plumpy-bench-'));
  try {
    results.push(
      ...(await measurePersister('file', new FilePersister({ directory }), n, {
        process: 'savable with 100 ctx entries',
        directory: tmpdir(),
      })),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return results;
}
