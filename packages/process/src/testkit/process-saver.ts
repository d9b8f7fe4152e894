import { Bundle, type SavedState } from '@plumpy-ts/persistence';
import type { AnyProcess } from '../process-options.js';
import type { ProcessListener } from '../process-listener.js';

/**
 * A listener that bundles a process every time it enters a state (running,
 * waiting, a terminal state) or is paused, and keeps a copy of its outputs at
 * each of those moments (plumpy's `ProcessSaver`). It is not savable, so it is
 * never part of the bundles it takes.
 */
export class ProcessSaver implements ProcessListener {
  /** The bundles, in the order they were taken. */
  readonly snapshots: Bundle[] = [];
  /** The process's outputs at each snapshot. */
  readonly outputs: Record<string, unknown>[] = [];

  /** Starts listening to `process`. */
  constructor(process: AnyProcess) {
    process.addProcessListener(this);
  }

  /** Takes a bundle now, then runs the process to its end (if it has not terminated); a failure is not rethrown. */
  async capture(process: AnyProcess): Promise<void> {
    this.save(process);
    if (!process.hasTerminated()) await process.execute().catch(() => undefined);
  }

  /** @internal */
  onProcessRunning(process: AnyProcess): void {
    this.save(process);
  }
  /** @internal */
  onProcessWaiting(process: AnyProcess): void {
    this.save(process);
  }
  /** @internal */
  onProcessPaused(process: AnyProcess): void {
    this.save(process);
  }
  /** @internal */
  onProcessFinished(process: AnyProcess): void {
    this.save(process);
  }
  /** @internal */
  onProcessExcepted(process: AnyProcess): void {
    this.save(process);
  }
  /** @internal */
  onProcessKilled(process: AnyProcess): void {
    this.save(process);
  }

  private save(process: AnyProcess): void {
    this.snapshots.push(new Bundle(process));
    this.outputs.push({ ...(process.outputs as Record<string, unknown>) });
  }
}

/**
 * The saved states of bundles, comparable across runs: an excepted state's
 * stack trace is left out (a rerun throws a new error with another stack).
 */
export function comparableStates(bundles: readonly Bundle[]): SavedState[] {
  return bundles.map((bundle) => {
    const state = structuredClone(bundle.state);
    const inner = state.state as { error?: { stack?: string } } | undefined;
    if (inner?.error !== undefined) delete inner.error.stack;
    return state;
  });
}
