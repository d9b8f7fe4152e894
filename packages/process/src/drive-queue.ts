/**
 * A queue of items to handle in a microtask: {@link MicrotaskQueue.schedule}
 * adds one, and all those scheduled before the microtask runs are handled in
 * it, in order, with `handle`. Scheduling costs no allocation beyond the queue's
 * array (one microtask per batch, no closure per item). An item scheduled while
 * a batch runs is handled in the next microtask.
 */
export interface MicrotaskQueue<T> {
  /** Handles `item` in a microtask. */
  schedule(item: T): void;
}

/**
 * Creates a {@link MicrotaskQueue}. An error thrown by `handle` goes to
 * `onError` (the other items are still handled).
 */
export function createMicrotaskQueue<T>(
  handle: (item: T) => void,
  onError: (item: T, error: unknown) => void,
): MicrotaskQueue<T> {
  let queue: T[] = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    for (const item of batch) {
      try {
        handle(item);
      } catch (error) {
        onError(item, error);
      }
    }
  };
  return {
    schedule(item: T): void {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push(item);
    },
  };
}
