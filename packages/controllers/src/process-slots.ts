import { TaskRejected } from '@plumpy-ts/communicator';

/**
 * A counting semaphore bounding how many processes run at once. A request
 * beyond the bound waits for a slot; {@link ProcessSlots.close} rejects the
 * waiting requests (and every later one) with `TaskRejected`, so that their
 * tasks go to another worker.
 */
export class ProcessSlots {
  #used = 0;
  #closed = false;
  readonly #waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    /** The bound (`Infinity`: none). */
    readonly limit: number,
  ) {
    if (!(limit >= 1)) throw new RangeError(`The concurrency must be at least 1, got ${String(limit)}`);
  }

  /** Slots in use. */
  get used(): number {
    return this.#used;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Takes a slot, waiting for one if all are in use. */
  acquire(): Promise<void> {
    if (this.#closed) return Promise.reject(new TaskRejected('The launcher is stopping and takes no more tasks'));
    if (this.#used < this.limit) {
      this.#used += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
    });
  }

  /** Gives a slot back (to the first waiting request, if any). */
  release(): void {
    const next = this.#closed ? undefined : this.#waiting.shift();
    if (next !== undefined) next.resolve();
    else this.#used -= 1;
  }

  /** Refuses every waiting and later request with `TaskRejected`. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) {
      waiter.reject(new TaskRejected('The launcher is stopping and takes no more tasks'));
    }
  }
}
