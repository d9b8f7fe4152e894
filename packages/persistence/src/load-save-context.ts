import { ClassRegistry } from './class-registry.js';
import type { ObjectLoader } from './object-loader.js';

/**
 * The extra values a {@link LoadSaveContext} can carry. Packages augment it to
 * type their own entries, e.g.
 * `declare module '@plumpy-ts/persistence' { interface LoadSaveContextValues { communicator?: Communicator } }`.
 */
export interface LoadSaveContextValues {
  [key: string]: unknown;
}

/** What a {@link LoadSaveContext} is built from: an optional loader and any extra values. */
export type LoadSaveContextOptions = LoadSaveContextValues & { readonly loader?: ObjectLoader | undefined };

/**
 * Runtime information passed to `save()` and `recreateFromSavedState()`
 * (plumpy's `LoadSaveContext`): the object loader that names classes, plus
 * arbitrary values a recreated object needs (a communicator, a logger...).
 * Immutable: {@link LoadSaveContext.copyExtend} makes a copy with overrides.
 */
export class LoadSaveContext {
  readonly #loader: ObjectLoader | undefined;
  readonly #values: Readonly<LoadSaveContextValues>;

  constructor(options: LoadSaveContextOptions = {}) {
    const { loader, ...values } = options;
    this.#loader = loader;
    this.#values = Object.freeze(values);
  }

  /** The object loader: the one given, else `ClassRegistry.default`. */
  get loader(): ObjectLoader {
    return this.#loader ?? ClassRegistry.default;
  }

  /** The extra values (everything but the loader). */
  get values(): Readonly<LoadSaveContextValues> {
    return this.#values;
  }

  /** The extra value stored under `key`, or `undefined`. */
  get<K extends keyof LoadSaveContextValues & string>(key: K): LoadSaveContextValues[K] {
    return this.#values[key];
  }

  /** Whether an extra value is stored under `key`. */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.#values, key);
  }

  /**
   * A copy of this context with `overrides` added or replaced (plumpy's
   * `copyextend`); a `loader` key replaces the loader.
   */
  copyExtend(overrides: LoadSaveContextOptions): LoadSaveContext {
    const loader = 'loader' in overrides ? overrides.loader : this.#loader;
    return new LoadSaveContext({ ...this.#values, ...overrides, loader });
  }
}
