import { Bundle } from './bundle.js';
import { CheckpointNotFoundError, ConcurrentModificationError } from './errors.js';
import { LoadSaveContext } from './load-save-context.js';
import type { ObjectLoader } from './object-loader.js';
import type { PersistedCheckpoint, Persister } from './persister.js';
import type { Checkpointable } from './savable.js';

/** Options of {@link InMemoryPersister}. */
export interface InMemoryPersisterOptions {
  /** The loader that names classes when saving (default `ClassRegistry.default`). */
  readonly loader?: ObjectLoader;
  /**
   * Refuse to replace a stored checkpoint with one whose revision is not newer
   * (`ConcurrentModificationError`), like the file and S3 persisters. Off by
   * default, as in plumpy, so that two copies of one process may both save.
   */
  readonly fenced?: boolean;
}

/**
 * A {@link Persister} that keeps bundles in memory, for tests and for processes
 * that need not outlive the Node process. `saveCheckpoint` deep-copies the state
 * at call time (no JSON round trip); `loadCheckpoint` returns the stored bundle,
 * whose `unbundle()` hands the new instance a private copy.
 */
export class InMemoryPersister implements Persister {
  readonly #checkpoints = new Map<string, Map<string | undefined, Bundle>>();
  readonly #context: LoadSaveContext;
  readonly #fenced: boolean;

  constructor(options: InMemoryPersisterOptions = {}) {
    this.#context = new LoadSaveContext({ loader: options.loader });
    this.#fenced = options.fenced ?? false;
  }

  saveCheckpoint(process: Checkpointable, tag?: string): Promise<void> {
    try {
      const bundle = Bundle.checkpoint(process, this.#context);
      const pid = String(bundle.pid);
      let tags = this.#checkpoints.get(pid);
      if (tags === undefined) {
        tags = new Map();
        this.#checkpoints.set(pid, tags);
      }
      const stored = tags.get(tag);
      if (this.#fenced && stored !== undefined && stored.revision >= bundle.revision) {
        throw new ConcurrentModificationError(pid, tag, bundle.revision, stored.revision);
      }
      tags.set(tag, bundle);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  loadCheckpoint(pid: string | number, tag?: string): Promise<Bundle> {
    const bundle = this.#checkpoints.get(String(pid))?.get(tag);
    return bundle === undefined
      ? Promise.reject(new CheckpointNotFoundError(String(pid), tag, 'the in-memory persister'))
      : Promise.resolve(bundle);
  }

  getCheckpoints(): Promise<PersistedCheckpoint[]> {
    const checkpoints: PersistedCheckpoint[] = [];
    for (const [pid, tags] of this.#checkpoints) for (const tag of tags.keys()) checkpoints.push({ pid, tag });
    return Promise.resolve(checkpoints);
  }

  getProcessCheckpoints(pid: string | number): Promise<PersistedCheckpoint[]> {
    const key = String(pid);
    const tags = this.#checkpoints.get(key);
    return Promise.resolve(tags === undefined ? [] : [...tags.keys()].map((tag) => ({ pid: key, tag })));
  }

  deleteCheckpoint(pid: string | number, tag?: string): Promise<void> {
    const key = String(pid);
    const tags = this.#checkpoints.get(key);
    if (tags !== undefined && tags.delete(tag) && tags.size === 0) this.#checkpoints.delete(key);
    return Promise.resolve();
  }

  deleteProcessCheckpoints(pid: string | number): Promise<void> {
    this.#checkpoints.delete(String(pid));
    return Promise.resolve();
  }
}
