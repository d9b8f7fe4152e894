import { PersistenceError } from './errors.js';
import { isForbiddenKey } from './forbidden-keys.js';
import { fastCopyPlainData, slowPath } from './plain-data-fast-copy.js';

/** A position inside a saved state, for error messages: object keys, array indices, map entries. */
export type DataPath = (string | number)[];


/**
 * Returns a deep copy of `value`, checking that it is plain data (see
 * `SavedState`). Dates, RegExps, Errors, Maps and Sets are copied; shared
 * references become separate copies.
 * @param root how the path of an offending value starts in error messages.
 * @throws PersistenceError naming the path of the first value that is not plain data.
 */
export function copyPlainData<T>(value: T, root = 'state'): T {
  try {
    return fastCopyPlainData(value);
  } catch (error) {
    if (error !== slowPath) throw error;
    // Something needs a closer look: the careful copier names the path of the problem (or copies very deep data).
    return new PlainDataCopier(root).copy(value, []) as T;
  }
}


class PlainDataCopier {
  readonly #ancestors: object[] = [];

  constructor(private readonly root: string) {}

  copy(value: unknown, path: DataPath): unknown {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
      case 'bigint':
        return value;
      case 'object':
        if (value === null) return null;
        break;
      default:
        throw notPlainData(value, path, this.root);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.#copyObject(value as Record<string, unknown>, path);
    if (Array.isArray(value)) return this.#copyArray(value, path);
    if (value instanceof Date) return copyDate(value, path, this.root);
    if (value instanceof Map) return this.#copyMap(value, path);
    if (value instanceof Set) return this.#copySet(value, path);
    if (value instanceof RegExp) return new RegExp(value.source, value.flags);
    if (value instanceof Error) return this.#copyError(value, path);
    throw notPlainData(value, path, this.root);
  }

  #enter(value: object, path: DataPath): void {
    if (this.#ancestors.includes(value)) {
      throw new PersistenceError(`Cannot persist ${describePath(this.root, path)}: it contains a circular reference`);
    }
    this.#ancestors.push(value);
  }

  #copyObject(value: Record<string, unknown>, path: DataPath): Record<string, unknown> {
    this.#enter(value, path);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (isForbiddenKey(key)) throw forbiddenKey(key, path, this.root);
      path.push(key);
      out[key] = this.copy(value[key], path);
      path.pop();
    }
    this.#ancestors.pop();
    return out;
  }

  #copyArray(value: unknown[], path: DataPath): unknown[] {
    this.#enter(value, path);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) {
      path.push(i);
      out[i] = this.copy(value[i], path);
      path.pop();
    }
    this.#ancestors.pop();
    return out;
  }

  #copyMap(value: Map<unknown, unknown>, path: DataPath): Map<unknown, unknown> {
    this.#enter(value, path);
    const out = new Map<unknown, unknown>();
    let i = 0;
    for (const [k, v] of value) {
      path.push(i, 0);
      const key = this.copy(k, path);
      path[path.length - 1] = 1;
      out.set(key, this.copy(v, path));
      path.length -= 2;
      i += 1;
    }
    this.#ancestors.pop();
    return out;
  }

  #copySet(value: Set<unknown>, path: DataPath): Set<unknown> {
    this.#enter(value, path);
    const out = new Set<unknown>();
    let i = 0;
    for (const item of value) {
      path.push(i);
      out.add(this.copy(item, path));
      path.pop();
      i += 1;
    }
    this.#ancestors.pop();
    return out;
  }

  #copyError(value: Error, path: DataPath): Error {
    this.#enter(value, path);
    let copy: Error;
    if ('cause' in value) {
      path.push('cause');
      copy = new Error(value.message, { cause: this.copy(value.cause, path) });
      path.pop();
    } else {
      copy = new Error(value.message);
    }
    copy.name = value.name; // an own property, as superjson restores it
    copy.stack = value.stack;
    this.#ancestors.pop();
    return copy;
  }
}

function copyDate(value: Date, path: DataPath, root: string): Date {
  const time = value.getTime();
  if (Number.isNaN(time)) throw new PersistenceError(`Cannot persist ${describePath(root, path)}: it is an invalid Date`);
  return new Date(time);
}

/** The error for a value that is not plain data. */
export function notPlainData(value: unknown, path: DataPath, root: string): PersistenceError {
  return new PersistenceError(
    `Cannot persist ${describePath(root, path)}: ${describeValue(value)} is not plain data ` +
      '(allowed: primitives, bigint, undefined, Date, RegExp, Error, Map, Set, arrays and plain objects)',
  );
}

/** The error for an object key that could rewrite a prototype. */
export function forbiddenKey(key: string, path: DataPath, root: string): PersistenceError {
  return new PersistenceError(`Cannot persist ${describePath(root, [...path, key])}: the key '${key}' is not allowed`);
}

/** `state.ctx.items[2]`-style description of a path. */
export function describePath(root: string, path: DataPath): string {
  let out = root;
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return `the value at '${out}'`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (value instanceof Promise) return 'a Promise';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a custom prototype';
}
