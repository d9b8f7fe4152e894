import type { LoadSaveContext } from './load-save-context.js';

/**
 * The saved state of a {@link Savable}: plain data only. Values may be
 * `undefined`, `null`, booleans, numbers (including `NaN`, `±Infinity`, `-0`),
 * strings, bigints, `Date`, `RegExp`, `Error` (name, message, stack, cause),
 * `Map`, `Set`, arrays and plain objects, nested freely. Functions, promises,
 * symbols, class instances and circular references are refused with a
 * `PersistenceError` naming the path.
 */
export type SavedState = { [key: string]: unknown };

/**
 * An object whose state can be captured as plain data and recreated later
 * (plumpy's `Savable`). Its class must implement {@link SavableClass}.
 */
export interface Savable {
  /**
   * Returns the instance's state as plain data. The result is snapshotted
   * (copied or serialized) immediately, so it may share objects with the live
   * instance.
   */
  save(context: LoadSaveContext): SavedState;
}

/**
 * A {@link Savable} that can be checkpointed by a `Persister`: it has a pid.
 * Its checkpoint revision is tracked for it (see `checkpointRevision`).
 */
export interface Checkpointable extends Savable {
  /** The process id; compared as a string by persisters. */
  readonly pid: string | number;
}

/**
 * Any class that an `ObjectLoader` can name: a constructor, possibly abstract.
 * `static processId`, when the class defines it itself, is its default identifier.
 */
export type LoadableClass = abstract new (...args: never[]) => object;

/**
 * The static side of a {@link Savable} class: recreates an instance from a saved
 * state without running creation hooks (plumpy's `recreate_from`).
 */
export interface SavableClass<T extends Savable = Savable> {
  /**
   * Builds an instance that behaves like the one that was saved. The state is a
   * private copy: the instance may keep and mutate it.
   */
  recreateFromSavedState(state: SavedState, context: LoadSaveContext): T;
}
