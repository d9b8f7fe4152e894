import { TimeoutError } from '@plumpy-ts/communicator';

/** What a pending reply answers: RPC replies are lost with the connection, task results are not. */
export type PendingKind = 'rpc' | 'task';

/** A sent message waiting for its reply. */
export interface PendingReply {
  readonly kind: PendingKind;
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Replies awaited by correlation id. Each entry settles once (later replies to
 * the same id, e.g. from a redelivered task, are ignored) and is removed when it
 * settles; an optional time limit rejects it with {@link TimeoutError}.
 */
export class PendingReplies {
  private readonly entries = new Map<string, PendingReply>();

  /** How many replies are awaited. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers a reply awaited under `id`. The returned promise never counts as
   * an unhandled rejection while nobody has attached to it yet.
   */
  open(id: string, kind: PendingKind, timeoutMs: number | undefined, describe: () => string): PendingReply {
    let resolvePromise!: (value: unknown) => void;
    let rejectPromise!: (error: unknown) => void;
    const promise = new Promise<unknown>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    promise.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const settle = (): boolean => {
      if (this.entries.get(id) !== entry) return false;
      this.entries.delete(id);
      if (timer !== undefined) clearTimeout(timer);
      return true;
    };
    const entry: PendingReply = {
      kind,
      promise,
      resolve: (value) => {
        if (settle()) resolvePromise(value);
      },
      reject: (error) => {
        if (settle()) rejectPromise(error);
      },
    };
    this.entries.set(id, entry);
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => entry.reject(new TimeoutError(`${describe()} timed out after ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    }
    return entry;
  }

  /** The reply awaited under `id`, if any. */
  get(id: string): PendingReply | undefined {
    return this.entries.get(id);
  }

  /** Rejects every awaited reply of `kind` (or of every kind). */
  rejectAll(error: unknown, kind?: PendingKind): void {
    for (const entry of Array.from(this.entries.values())) {
      if (kind === undefined || entry.kind === kind) entry.reject(error);
    }
  }
}
