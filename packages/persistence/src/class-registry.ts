import { PersistenceError, UnknownClassError } from './errors.js';
import type { ObjectLoader } from './object-loader.js';
import type { LoadableClass } from './savable.js';

/**
 * An {@link ObjectLoader} backed by an explicit table of classes. A class is
 * named by the identifier it was registered under; by default its own
 * `static processId`, else its `name`. Prefer an explicit identifier (or
 * `processId`) in code that is minified, since minifiers rename classes.
 *
 * `identify()` registers an unknown class under its default identifier, so a
 * class is registered automatically the first time it is bundled.
 */
export class ClassRegistry implements ObjectLoader {
  /** The registry used when no other loader is given. */
  static readonly default: ClassRegistry = new ClassRegistry();

  readonly #classes = new Map<string, LoadableClass>();
  readonly #identifiers = new Map<LoadableClass, string>();

  /**
   * The identifier a class gets when registered without one: its own
   * `static processId` if it defines one, else its name.
   * @throws PersistenceError for an anonymous class without `processId`.
   */
  static defaultIdentifier(cls: LoadableClass): string {
    if (Object.prototype.hasOwnProperty.call(cls, 'processId')) {
      const processId: unknown = (cls as unknown as { processId: unknown }).processId;
      if (typeof processId === 'string' && processId !== '') return processId;
      throw new PersistenceError(`The static processId of class ${describe(cls)} must be a non-empty string`);
    }
    if (cls.name === '') {
      throw new PersistenceError('Cannot name an anonymous class: give it a static processId or register it with an identifier');
    }
    return cls.name;
  }

  /**
   * Registers `cls` under `identifier` (default: {@link ClassRegistry.defaultIdentifier}),
   * which becomes the identifier `identify(cls)` returns. Registering the same
   * class again is harmless; an identifier it had before still loads it.
   * @returns the identifier.
   * @throws PersistenceError naming both classes if another class holds the identifier.
   */
  register(cls: LoadableClass, identifier?: string): string {
    const id = identifier ?? ClassRegistry.defaultIdentifier(cls);
    if (id === '') throw new PersistenceError(`Cannot register class ${describe(cls)} under an empty identifier`);
    const holder = this.#classes.get(id);
    if (holder !== undefined && holder !== cls) {
      throw new PersistenceError(
        `Cannot register class ${describe(cls)} under identifier '${id}': ` +
          `it is already taken by another class, ${describe(holder)}. Register one of them under another identifier`,
      );
    }
    this.#classes.set(id, cls);
    if (identifier !== undefined || !this.#identifiers.has(cls)) this.#identifiers.set(cls, id);
    return id;
  }

  /** The identifier of `cls`, registering it under its default identifier if needed. */
  identify(cls: LoadableClass): string {
    return this.#identifiers.get(cls) ?? this.register(cls);
  }

  /**
   * The class registered under `identifier`.
   * @throws UnknownClassError when none is.
   */
  load(identifier: string): LoadableClass {
    const cls = this.#classes.get(identifier);
    if (cls === undefined) throw new UnknownClassError(identifier);
    return cls;
  }

  /** Whether a class is registered under `identifier`. */
  has(identifier: string): boolean {
    return this.#classes.has(identifier);
  }

  /** Whether `cls` is registered (under any identifier). */
  isRegistered(cls: LoadableClass): boolean {
    return this.#identifiers.has(cls);
  }

  /** The registered identifiers. */
  identifiers(): string[] {
    return [...this.#classes.keys()];
  }

  /** Removes `identifier`; returns whether it was registered. */
  unregister(identifier: string): boolean {
    const cls = this.#classes.get(identifier);
    if (cls === undefined) return false;
    this.#classes.delete(identifier);
    if (this.#identifiers.get(cls) === identifier) {
      const other = [...this.#classes].find(([, c]) => c === cls);
      if (other === undefined) this.#identifiers.delete(cls);
      else this.#identifiers.set(cls, other[0]);
    }
    return true;
  }
}

function describe(cls: LoadableClass): string {
  return cls.name === '' ? '(anonymous class)' : cls.name;
}
