import type { Bundle } from './bundle.js';
import type { Checkpointable } from './savable.js';

/** One stored checkpoint: its process's pid (a string) and its tag (`undefined` when untagged). */
export interface PersistedCheckpoint {
  /** The pid, as a string. */
  readonly pid: string;
  /** The tag; `undefined` for the untagged checkpoint. */
  readonly tag: string | undefined;
}

/**
 * Stores process checkpoints (plumpy's `Persister`). A process has at most one
 * checkpoint per tag, plus one untagged. Pids are compared as strings.
 * Implementations should pass the conformance suite of
 * `@plumpy-ts/persistence/testkit`.
 */
export interface Persister {
  /**
   * Stores a checkpoint of `process`, replacing the one with the same pid and
   * tag. The snapshot is taken synchronously, before the returned promise is
   * created: changes made to the process afterwards are not saved. Use
   * `Bundle.checkpoint` or `serializeCheckpoint` to take it.
   * @throws ConcurrentModificationError (fencing persisters) if the stored checkpoint's revision is not older.
   */
  saveCheckpoint(process: Checkpointable, tag?: string): Promise<void>;
  /**
   * The bundle of a stored checkpoint; call `unbundle(context)` on it.
   * @throws PersistenceError (CheckpointNotFoundError) if there is no such checkpoint.
   */
  loadCheckpoint(pid: string | number, tag?: string): Promise<Bundle>;
  /** All stored checkpoints. */
  getCheckpoints(): Promise<PersistedCheckpoint[]>;
  /** The stored checkpoints of one process. */
  getProcessCheckpoints(pid: string | number): Promise<PersistedCheckpoint[]>;
  /** Deletes one checkpoint; does nothing if it does not exist. */
  deleteCheckpoint(pid: string | number, tag?: string): Promise<void>;
  /** Deletes every checkpoint of one process. */
  deleteProcessCheckpoints(pid: string | number): Promise<void>;
}
