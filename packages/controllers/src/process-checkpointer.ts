import { ConcurrentModificationError, type Persister } from '@plumpy-ts/persistence';
import type { AnyProcess, Logger, ProcessListener } from '@plumpy-ts/process';

/**
 * Checkpoints one process after every state transition (and after pause and
 * play), as a {@link ProcessListener}. Saves never overlap: transitions that
 * happen while a save is being written are coalesced into one save of the
 * newest state, taken when the previous save has completed. A save refused
 * with `ConcurrentModificationError` (another copy of the process has saved a
 * newer checkpoint) stops the checkpointing, and is reported by {@link flush}.
 */
export class ProcessCheckpointer implements ProcessListener<AnyProcess> {
  #saving: Promise<void> | undefined = undefined;
  #dirty = false;
  #stopped = false;
  #error: unknown = undefined;
  #onFenced: (() => void) | undefined = undefined;

  constructor(
    /** The process checkpointed. */
    readonly process: AnyProcess,
    private readonly persister: Persister,
    private readonly logger: Logger,
  ) {}

  /** Starts listening to the process's transitions. */
  attach(): void {
    this.process.addProcessListener(this);
  }

  /** Stops listening (a save under way completes). */
  detach(): void {
    this.process.removeProcessListener(this);
  }

  /** The error that stopped checkpointing, if any. */
  get error(): unknown {
    return this.#error;
  }

  /** Whether a save was refused with `ConcurrentModificationError`: another copy of the process saved a newer checkpoint. */
  get fenced(): boolean {
    return this.#error instanceof ConcurrentModificationError;
  }

  /**
   * Calls `callback` (once) when a save is refused with
   * `ConcurrentModificationError` — at once if one was refused already.
   */
  whenFenced(callback: () => void): void {
    if (this.fenced) {
      callback();
      return;
    }
    this.#onFenced = callback;
  }

  /** Asks for a checkpoint of the current state (coalesced with a save under way). */
  request(): void {
    if (this.#stopped) return;
    if (this.#saving !== undefined) {
      this.#dirty = true;
      return;
    }
    this.#dirty = true;
    this.#saving = this.#saveLoop();
  }

  /** Saves the current state and resolves once every requested save is written. Rejects if checkpointing failed. */
  async flush(): Promise<void> {
    this.request();
    while (this.#saving !== undefined) await this.#saving;
    const error = this.#error;
    if (error !== undefined) throw error instanceof Error ? error : new Error('Checkpointing failed', { cause: error });
  }

  async #saveLoop(): Promise<void> {
    try {
      // Let the synchronous run of the process go on: the snapshot is taken
      // between turns, of the newest state.
      await Promise.resolve();
      while (this.#dirty && !this.#stopped) {
        this.#dirty = false;
        try {
          await this.persister.saveCheckpoint(this.process);
        } catch (error) {
          this.#stopped = true;
          this.#error = error;
          const reason =
            error instanceof ConcurrentModificationError
              ? 'another copy of it saved a newer checkpoint; this copy stops checkpointing'
              : 'saving its checkpoint failed';
          if (error instanceof ConcurrentModificationError) this.logger.warn(`Process<${String(this.process.pid)}>: ${reason}`);
          else this.logger.error(`Process<${String(this.process.pid)}>: ${reason}`, error);
          const onFenced = this.#onFenced;
          this.#onFenced = undefined;
          if (error instanceof ConcurrentModificationError) onFenced?.();
        }
      }
    } finally {
      this.#saving = undefined;
    }
  }

  onProcessRunning(): void {
    this.request();
  }

  onProcessWaiting(): void {
    this.request();
  }

  onProcessPaused(): void {
    this.request();
  }

  onProcessPlayed(): void {
    this.request();
  }

  onProcessFinished(): void {
    this.request();
  }

  onProcessExcepted(): void {
    this.request();
  }

  onProcessKilled(): void {
    this.request();
  }
}
