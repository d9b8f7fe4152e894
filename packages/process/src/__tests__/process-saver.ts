// plumpy's ProcessSaver (tests/utils.py): bundles a process at every event.
import { Bundle, type SavedState } from '@plumpy-ts/persistence';
import type { Process, ProcessListener } from '../index.js';

/**
 * A listener that takes a bundle of the process every time it enters a state
 * (running, waiting, a terminal state) or is paused, with a copy of its outputs.
 * It is not savable, so it is not part of the bundles.
 */
export class ProcessSaver implements ProcessListener {
  readonly snapshots: Bundle[] = [];
  readonly outputs: Record<string, unknown>[] = [];

  constructor(process: Process) {
    process.addProcessListener(this);
  }

  /** Takes a bundle now, then runs the process to its end (if it has not terminated). */
  async capture(process: Process): Promise<void> {
    this.save(process);
    if (!process.hasTerminated()) await process.execute().catch(() => undefined);
  }

  onProcessRunning(process: Process): void {
    this.save(process);
  }
  onProcessWaiting(process: Process): void {
    this.save(process);
  }
  onProcessPaused(process: Process): void {
    this.save(process);
  }
  onProcessFinished(process: Process): void {
    this.save(process);
  }
  onProcessExcepted(process: Process): void {
    this.save(process);
  }
  onProcessKilled(process: Process): void {
    this.save(process);
  }

  private save(process: Process): void {
    this.snapshots.push(new Bundle(process));
    this.outputs.push({ ...process.outputs });
  }
}

/** The saved states of bundles, with excepted states' stack traces left out (a rerun throws a new error). */
export function comparable(bundles: readonly Bundle[]): SavedState[] {
  return bundles.map((bundle) => {
    const state = structuredClone(bundle.state);
    const inner = state.state as { error?: { stack?: string } };
    if (inner.error !== undefined) delete inner.error.stack;
    return state;
  });
}
