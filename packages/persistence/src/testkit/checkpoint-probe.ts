import type { Checkpointable, LoadSaveContext, SavedState } from '../index.js';

/**
 * A small savable used by the conformance suite: a pid, a bag of values and a
 * step counter. Its constructor runs a creation hook (counted in
 * `creationHooksRun`); recreating from a saved state does not.
 */
export class CheckpointProbe implements Checkpointable {
  /** The stable identifier it is registered under. */
  static readonly processId = '@plumpy-ts/persistence/testkit/CheckpointProbe';

  /** The process id. */
  pid: string | number;
  /** Arbitrary plain data that is saved. */
  values: Record<string, unknown>;
  /** A counter that is saved. */
  steps = 0;
  /** How many times the creation hook ran on this instance (not saved). */
  creationHooksRun = 0;
  /** Whether this instance was recreated from a saved state (not saved). */
  recreated = false;

  constructor(pid: string | number, values: Record<string, unknown> = {}) {
    this.pid = pid;
    this.values = values;
    this.onCreate();
  }

  /** Recreates a probe from its saved state, without running the creation hook. */
  static recreateFromSavedState(state: SavedState, _context: LoadSaveContext): CheckpointProbe {
    const probe = Object.create(CheckpointProbe.prototype) as CheckpointProbe;
    probe.pid = state.pid as string | number;
    probe.values = state.values as Record<string, unknown>;
    probe.steps = state.steps as number;
    probe.creationHooksRun = 0;
    probe.recreated = true;
    return probe;
  }

  /** The creation hook. */
  onCreate(): void {
    this.creationHooksRun += 1;
  }

  /** Advances the step counter. */
  step(): void {
    this.steps += 1;
  }

  save(_context: LoadSaveContext): SavedState {
    return { pid: this.pid, values: this.values, steps: this.steps };
  }
}
