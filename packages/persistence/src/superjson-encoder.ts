import { PersistenceError } from './errors.js';
import { isForbiddenKey } from './forbidden-keys.js';
import { type DataPath, describePath, forbiddenKey, notPlainData } from './plain-data.js';

/** A superjson type annotation this encoder produces. */
type TypeName = 'undefined' | 'bigint' | 'number' | 'Date' | 'regexp' | 'Error' | 'set' | 'map';
/** The annotations of a container's children, keyed by superjson's escaped dotted paths. */
type AnnotationTree = { [path: string]: AnnotationNode };
/** The annotation of a transformed value, with its children's annotations when it has any. */
type AnnotationNode = [TypeName] | [TypeName, AnnotationTree];

/** superjson's serialized form: `{ json, meta? }`. */
export interface SuperJsonDocument {
  json: unknown;
  meta?: { values: AnnotationNode | AnnotationTree; v: 1 };
}

/**
 * Serializes plain data (see `SavedState`) to superjson's format, exactly as
 * `superjson.serialize` would (plus an Error's stack), so `superjson.parse`
 * reads it back. It checks the data as it goes, and copies only the containers
 * holding a value that needs an annotation, so plain JSON costs little more
 * than `JSON.stringify`. Shared references are written once per occurrence.
 * @throws PersistenceError naming the path of a value that is not plain data.
 */
export function encodeSuperJson(value: unknown, root = 'state'): SuperJsonDocument {
  let json: unknown;
  let annotations: AnnotationNode | AnnotationTree | undefined;
  try {
    // The fast encoder walks objects with for-in, which sees only own keys unless Object.prototype is polluted.
    if (Object.keys(Object.prototype).length !== 0) throw slowPath;
    json = fastEncode(value, 0);
    annotations = fastAnnotations;
  } catch (error) {
    if (error !== slowPath) throw error;
    // Something is wrong (or very deep): the careful encoder names the path of the problem.
    const encoder = new SuperJsonEncoder(root);
    json = encoder.encode(value, []);
    annotations = encoder.annotations;
  } finally {
    fastAnnotations = undefined;
  }
  return annotations === undefined ? { json } : { json, meta: { values: annotations, v: 1 } };
}

/*
 * The fast encoder: one pass, no paths, no ancestor tracking (a depth limit
 * stands in for cycle detection), primitives handled inline by the container
 * loops. The annotations of the value last encoded are left in
 * `fastAnnotations` (a result register, to avoid allocating pairs). Anything
 * wrong throws `slowPath`, and the careful encoder below starts again to name
 * the offending path.
 */

/** Thrown by the fast encoder to hand over to the careful one. */
const slowPath = new Error('superjson encoder: take the careful path');
/** Nesting depth at which the fast encoder suspects a circular reference. */
const MAX_FAST_DEPTH = 500;
/** The annotations of the value the fast encoder encoded last. */
let fastAnnotations: AnnotationNode | AnnotationTree | undefined;

/** Whether a number is written as a JSON number (not annotated). */
function isJsonNumber(value: number): boolean {
  return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
}

/** Encodes any value; leaves its annotations in `fastAnnotations`. */
function fastEncode(value: unknown, depth: number): unknown {
  if (typeof value === 'object') return fastEncodeObjectLike(value, depth);
  return fastEncodePrimitive(value);
}

/** Encodes a value that is not an object; leaves its annotations in `fastAnnotations`. */
function fastEncodePrimitive(value: unknown): unknown {
  fastAnnotations = undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (isJsonNumber(value)) return value;
      fastAnnotations = ['number'];
      return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '-0' : value > 0 ? 'Infinity' : '-Infinity';
    case 'undefined':
      fastAnnotations = ['undefined'];
      return null;
    case 'bigint':
      fastAnnotations = ['bigint'];
      return value.toString();
    default:
      throw slowPath; // functions, symbols
  }
}

/** Encodes a value with `typeof value === 'object'` (maybe null); leaves its annotations in `fastAnnotations`. */
function fastEncodeObjectLike(value: object | null, depth: number): unknown {
  fastAnnotations = undefined;
  if (value === null) return null;
  if (depth > MAX_FAST_DEPTH) throw slowPath;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return fastEncodeRecord(value as Record<string, unknown>, depth, false);
  if (Array.isArray(value)) return fastEncodeArray(value, depth, false);
  if (proto === null) return fastEncodeRecord(value as Record<string, unknown>, depth, false);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw slowPath;
    fastAnnotations = ['Date'];
    return value.toISOString();
  }
  if (value instanceof RegExp) {
    fastAnnotations = ['regexp'];
    return String(value);
  }
  if (value instanceof Set) return fastEncodeTransformed('set', fastEncodeArray([...value], depth, true));
  if (value instanceof Map) return fastEncodeTransformed('map', fastEncodeArray([...value], depth, true));
  if (value instanceof Error) {
    const base: Record<string, unknown> = { name: value.name, message: value.message };
    if ('cause' in value) base.cause = value.cause;
    if (typeof value.stack === 'string') base.stack = value.stack;
    return fastEncodeTransformed('Error', fastEncodeRecord(base, depth, true));
  }
  throw slowPath; // class instances, promises...
}

/** Wraps the children's annotations of a transformed value (Set, Map, Error) under its own type. */
function fastEncodeTransformed(type: TypeName, encoded: unknown): unknown {
  const inner = fastAnnotations as AnnotationTree | undefined;
  fastAnnotations = inner === undefined ? [type] : [type, inner];
  return encoded;
}

/** Adds a child's annotations to its container's annotation tree (created on first use). */
function addChildAnnotations(inner: AnnotationTree | undefined, key: string, annotations: AnnotationNode | AnnotationTree): AnnotationTree {
  const tree = inner ?? {};
  const escaped = escapeKey(key);
  if (Array.isArray(annotations)) tree[escaped] = annotations;
  else for (const sub of Object.keys(annotations)) tree[`${escaped}.${sub}`] = annotations[sub] as AnnotationNode;
  return tree;
}

/**
 * Encodes the items of an array, copying it only when an item changes (unless
 * it is `owned`: built here). Leaves the items' annotations in `fastAnnotations`.
 */
function fastEncodeArray(container: unknown[], depth: number, owned: boolean): unknown[] {
  let out: unknown[] | undefined = owned ? container : undefined;
  let inner: AnnotationTree | undefined;
  const length = container.length;
  for (let i = 0; i < length; i += 1) {
    const child = container[i];
    let encoded: unknown;
    if (typeof child === 'object') {
      if (child === null) continue;
      encoded = fastEncodeObjectLike(child, depth + 1);
    } else if (typeof child === 'string' || typeof child === 'boolean' || (typeof child === 'number' && isJsonNumber(child))) {
      continue;
    } else {
      encoded = fastEncodePrimitive(child);
    }
    if (encoded !== child) {
      out ??= container.slice();
      out[i] = encoded;
    }
    const annotations = fastAnnotations;
    if (annotations !== undefined) inner = addChildAnnotations(inner, String(i), annotations);
  }
  fastAnnotations = inner;
  return out ?? container;
}

/**
 * Encodes the values of a plain object, copying it only when a value changes
 * (unless it is `owned`: built here). Leaves the values' annotations in `fastAnnotations`.
 */
function fastEncodeRecord(container: Record<string, unknown>, depth: number, owned: boolean): Record<string, unknown> {
  let out: Record<string, unknown> | undefined = owned ? container : undefined;
  let inner: AnnotationTree | undefined;
  for (const key in container) {
    if (isForbiddenKey(key)) throw slowPath;
    const child = container[key];
    let encoded: unknown;
    if (typeof child === 'object') {
      if (child === null) continue;
      encoded = fastEncodeObjectLike(child, depth + 1);
    } else if (typeof child === 'string' || typeof child === 'boolean' || (typeof child === 'number' && isJsonNumber(child))) {
      continue;
    } else {
      encoded = fastEncodePrimitive(child);
    }
    if (encoded !== child) {
      out ??= copyRecord(container);
      out[key] = encoded;
    }
    const annotations = fastAnnotations;
    if (annotations !== undefined) inner = addChildAnnotations(inner, key, annotations);
  }
  fastAnnotations = inner;
  return out ?? container;
}

/** A shallow copy of a plain object's own enumerable string keys (keeping a null prototype). */
function copyRecord(container: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.getPrototypeOf(container) === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.keys(container)) out[key] = container[key];
  return out;
}

class SuperJsonEncoder {
  /** The annotations of the value last encoded (a result register, to avoid allocating pairs). */
  annotations: AnnotationNode | AnnotationTree | undefined;
  readonly #ancestors: object[] = [];

  constructor(private readonly root: string) {}

  encode(value: unknown, path: DataPath): unknown {
    this.annotations = undefined;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        this.annotations = ['number'];
        return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '-0' : value > 0 ? 'Infinity' : '-Infinity';
      case 'undefined':
        this.annotations = ['undefined'];
        return null;
      case 'bigint':
        this.annotations = ['bigint'];
        return value.toString();
      case 'object':
        if (value === null) return null;
        break;
      default:
        throw notPlainData(value, path, this.root);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null || Array.isArray(value)) {
      const out = this.#encodeContainer(value as Record<string, unknown>, path, false);
      return out;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) {
        throw new PersistenceError(`Cannot persist ${describePath(this.root, path)}: it is an invalid Date`);
      }
      this.annotations = ['Date'];
      return value.toISOString();
    }
    if (value instanceof RegExp) {
      this.annotations = ['regexp'];
      return String(value);
    }
    if (value instanceof Set) return this.#encodeTransformed('set', value, [...value], path);
    if (value instanceof Map) return this.#encodeTransformed('map', value, [...value], path);
    if (value instanceof Error) {
      const base: Record<string, unknown> = { name: value.name, message: value.message };
      if ('cause' in value) base.cause = value.cause;
      if (typeof value.stack === 'string') base.stack = value.stack;
      return this.#encodeTransformed('Error', value, base, path);
    }
    throw notPlainData(value, path, this.root);
  }

  /** Encodes a value transformed into a fresh container (Set, Map, Error). */
  #encodeTransformed(type: TypeName, original: object, container: object, path: DataPath): unknown {
    this.#enter(original, path);
    const out = this.#encodeContainer(container as Record<string, unknown>, path, true);
    this.#ancestors.pop();
    const inner = this.annotations as AnnotationTree | undefined;
    this.annotations = inner === undefined ? [type] : [type, inner];
    return out;
  }

  /**
   * Encodes the children of an array or object. The container is copied when a
   * child changes, unless it is `owned` (freshly built here). Leaves the
   * children's annotations (or undefined) in `this.annotations`.
   */
  #encodeContainer(container: Record<string, unknown>, path: DataPath, owned: boolean): unknown {
    const isArray = Array.isArray(container);
    if (!owned) this.#enter(container, path);
    let out: Record<string, unknown> | undefined = owned ? container : undefined;
    let inner: AnnotationTree | undefined;
    const keys = isArray ? undefined : Object.keys(container);
    const length = keys === undefined ? (container as unknown as unknown[]).length : keys.length;
    for (let i = 0; i < length; i += 1) {
      const key = keys === undefined ? i : (keys[i] as string);
      if (keys !== undefined && isForbiddenKey(key as string)) throw forbiddenKey(key as string, path, this.root);
      const child = container[key];
      path.push(key);
      const encoded = this.encode(child, path);
      path.pop();
      if (encoded !== child && out === undefined) out = isArray ? (container as unknown as unknown[]).slice() as unknown as Record<string, unknown> : { ...container };
      if (out !== undefined) out[key] = encoded;
      const annotations = this.annotations;
      if (annotations !== undefined) {
        inner ??= {};
        const escaped = escapeKey(String(key));
        if (Array.isArray(annotations)) inner[escaped] = annotations;
        else for (const sub of Object.keys(annotations)) inner[`${escaped}.${sub}`] = annotations[sub] as AnnotationNode;
      }
    }
    if (!owned) this.#ancestors.pop();
    this.annotations = inner;
    return out ?? container;
  }

  #enter(value: object, path: DataPath): void {
    if (this.#ancestors.includes(value)) {
      throw new PersistenceError(`Cannot persist ${describePath(this.root, path)}: it contains a circular reference`);
    }
    this.#ancestors.push(value);
  }
}

/** superjson's escaping of one path segment: backslashes and dots are escaped. */
function escapeKey(key: string): string {
  return key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;
}
