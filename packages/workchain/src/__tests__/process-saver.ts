// plumpy's ProcessSaver and check_process_against_snapshots (tests/utils.py), for work chains.
import { Bundle, type SavedState } from '@plumpy-ts/persistence';
import { expect } from 'vitest';
import type { AnyProcess, ProcessListener } from '@plumpy-ts/process';

/**
 * A listener that bundles the process every time it enters a state (running,
 * waiting, a terminal state) or is paused. It is not savable, so it is not part
 * of the bundles.
 */
export class ProcessSaver implements ProcessListener {
  readonly snapshots: Bundle[] = [];

  constructor(process: AnyProcess) {
    process.addProcessListener(this);
  }

  /** Takes a bundle now, then runs the process to its end (if it has not terminated). */
  async capture(process: AnyProcess): Promise<void> {
    this.save(process);
    if (!process.hasTerminated()) await process.execute().catch(() => undefined);
  }

  onProcessRunning(process: AnyProcess): void {
    this.save(process);
  }
  onProcessWaiting(process: AnyProcess): void {
    this.save(process);
  }
  onProcessPaused(process: AnyProcess): void {
    this.save(process);
  }
  onProcessFinished(process: AnyProcess): void {
    this.save(process);
  }
  onProcessExcepted(process: AnyProcess): void {
    this.save(process);
  }
  onProcessKilled(process: AnyProcess): void {
    this.save(process);
  }

  private save(process: AnyProcess): void {
    this.snapshots.push(new Bundle(process));
  }
}

/** The saved states of bundles, without stack traces (a rerun throws a new error). */
export function comparable(bundles: readonly Bundle[]): SavedState[] {
  return bundles.map((bundle) => {
    const state = structuredClone(bundle.state);
    const inner = state.state as { error?: { stack?: string } };
    if (inner.error !== undefined) delete inner.error.stack;
    return state;
  });
}

/**
 * Runs `create()` to its end taking a snapshot at every event, then continues a
 * recreated process from every snapshot and checks that it goes through the
 * same later snapshots (plumpy's check_process_against_snapshots). Returns the
 * snapshots of the first run.
 */
export async function checkAgainstSnapshots(create: () => AnyProcess): Promise<Bundle[]> {
  const original = create();
  const saver = new ProcessSaver(original);
  await original.execute().catch(() => undefined);
  const snapshots = saver.snapshots;
  const expected = comparable(snapshots);
  for (let i = 0; i < snapshots.length; i += 1) {
    const loaded = snapshots[i]!.unbundle<AnyProcess>();
    const again = new ProcessSaver(loaded);
    await again.capture(loaded);
    expect(comparable(again.snapshots), `continuing from snapshot ${i} (${loaded.state})`).toEqual(expected.slice(i));
  }
  return snapshots;
}

/** bundle → unbundle → bundle gives an equal bundle; returns the recreated process. */
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

/** Resolves once `condition` holds, checking after every state change and pause (or once terminated). */
export function until(process: AnyProcess, condition: () => boolean): Promise<void> {
  if (condition() || process.hasTerminated()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if (condition() || process.hasTerminated()) {
        process.removeProcessListener(listener);
        resolve();
      }
    };
    const listener: ProcessListener = {
      onProcessRunning: check,
      onProcessWaiting: check,
      onProcessPaused: check,
      onProcessPlayed: check,
      onProcessFinished: check,
      onProcessExcepted: check,
      onProcessKilled: check,
    };
    process.addProcessListener(listener);
  });
}
