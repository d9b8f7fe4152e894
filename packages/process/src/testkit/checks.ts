import { Bundle } from '@plumpy-ts/persistence';
import { expect } from 'vitest';
import type { AnyProcess } from '../process-options.js';
import { ProcessSaver, comparableStates } from './process-saver.js';

/**
 * bundle → unbundle → bundle gives an equal bundle, and the recreated process
 * is a new instance of the same class with the same pid, state and paused flag.
 * Returns the recreated process.
 */
export function checkRoundTrip<P extends AnyProcess>(process: P): P {
  const bundle = new Bundle(process);
  const loaded = bundle.unbundle<P>();
  expect(loaded).not.toBe(process);
  expect(loaded).toBeInstanceOf(process.constructor);
  expect(loaded.pid).toBe(process.pid);
  expect(loaded.state).toBe(process.state);
  expect(loaded.paused).toBe(process.paused);
  expect(new Bundle(loaded)).toEqual(bundle);
  return loaded;
}

/**
 * Continues a process recreated from every snapshot and checks that it goes
 * through the same later snapshots (plumpy's `check_process_against_snapshots`).
 */
export async function checkAgainstSnapshots(snapshots: readonly Bundle[]): Promise<void> {
  const expected = comparableStates(snapshots);
  for (let i = 0; i < snapshots.length; i += 1) {
    const loaded = snapshots[i]!.unbundle<AnyProcess>();
    const saver = new ProcessSaver(loaded);
    await saver.capture(loaded);
    expect(comparableStates(saver.snapshots), `continuing from snapshot ${i} (${loaded.state})`).toEqual(expected.slice(i));
  }
}

/**
 * Runs the process `create()` makes to its end, taking a snapshot at every
 * event, then checks it against its snapshots ({@link checkAgainstSnapshots}).
 * Returns the snapshots of the first run.
 */
export async function checkProcessSnapshots(create: () => AnyProcess): Promise<Bundle[]> {
  const original = create();
  const saver = new ProcessSaver(original);
  await original.execute().catch(() => undefined);
  await checkAgainstSnapshots(saver.snapshots);
  return saver.snapshots;
}
