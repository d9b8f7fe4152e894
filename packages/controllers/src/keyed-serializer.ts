/**
 * Runs async functions one at a time per key (different keys run
 * concurrently), in the order they were submitted. The launcher uses it so that
 * two tasks for one pid are not started at once.
 */
export class KeyedSerializer {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every function submitted earlier for `key` has settled; resolves or rejects as `fn` does. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? fn() : previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** How many keys have a function running or waiting. */
  get size(): number {
    return this.#tails.size;
  }
}
