import { isForbiddenKey } from './forbidden-keys.js';

/**
 * The fast path of `copyPlainData`: one pass, no paths, no ancestor tracking
 * (a depth limit stands in for cycle detection). Anything unusual throws
 * {@link slowPath}, and the careful copier in `plain-data.ts` starts again and
 * names the offending path.
 *
 * Why it looks like this: a small plain object is copied with a spread, which
 * V8 makes a cheap map-sharing copy while the spread's call site has seen few
 * shapes, and a slow runtime call once it has seen many. Saved states are
 * most uniform level by level (the entries of `ctx.data` share a shape, the
 * top level has shapes of its own), so each of the first levels below the root
 * has its own copy of the record copier, and therefore its own inline caches:
 * the copies are deliberate. Deeper levels share one generic copier.
 */

/** Thrown by the fast copier to hand over to the careful one. */
export const slowPath = new Error('plain data: take the careful path');
/** Nesting depth at which the fast copier suspects a circular reference. */
const MAX_FAST_DEPTH = 500;
/**
 * Objects with at most this many keys are cloned with a spread, which is
 * fastest for the small objects V8 keeps in fast mode; bigger ones (often in
 * dictionary mode, where a spread is slow) are rebuilt key by key.
 */
const SPREAD_LIMIT = 12;
/**
 * Bit N is set once level N has met an object with more than SPREAD_LIMIT keys.
 * Until then the level's copier spreads without counting keys first (counting
 * them costs an array per object, a third of the copy of a small record); from
 * then on it counts them, so that only the first big object of a level is
 * copied with a (slow) spread.
 */
let largeLevels = 0;

/** Copies an object's children with the copier of the next level. */
type LevelCopier = (value: object, depth: number) => unknown;

/**
 * A deep copy of `value` if it is plain data.
 * @throws slowPath for anything the careful copier must look at.
 */
export function fastCopyPlainData<T>(value: T): T {
  if (typeof value === 'function' || typeof value === 'symbol') throw slowPath;
  if (typeof value !== 'object' || value === null) return value;
  // A for-in over a plain object sees only its own keys unless Object.prototype is polluted.
  if (Object.keys(Object.prototype).length !== 0) throw slowPath;
  return copyLevel0(value, 0) as T;
}

function copyLevel0(value: object, depth: number): unknown {
  if (Object.getPrototypeOf(value) !== Object.prototype) return copyNonRecord(value, depth, copyLevel1);
  if ((largeLevels & 1) !== 0) {
    const keys = Object.keys(value);
    if (keys.length > SPREAD_LIMIT) return copyLargeRecord(value as Record<string, unknown>, keys, depth, copyLevel1);
  }
  const out: Record<string, unknown> = { ...value };
  let count = 0;
  for (const key in out) {
    count += 1;
    if (isForbiddenKey(key)) throw slowPath;
    const child = out[key];
    if (typeof child === 'object') {
      if (child !== null) out[key] = copyLevel1(child, depth + 1);
    } else if (typeof child === 'function' || typeof child === 'symbol') throw slowPath;
  }
  if (count > SPREAD_LIMIT) largeLevels |= 1;
  return out;
}

function copyLevel1(value: object, depth: number): unknown {
  if (Object.getPrototypeOf(value) !== Object.prototype) return copyNonRecord(value, depth, copyLevel2);
  if ((largeLevels & 2) !== 0) {
    const keys = Object.keys(value);
    if (keys.length > SPREAD_LIMIT) return copyLargeRecord(value as Record<string, unknown>, keys, depth, copyLevel2);
  }
  const out: Record<string, unknown> = { ...value };
  let count = 0;
  for (const key in out) {
    count += 1;
    if (isForbiddenKey(key)) throw slowPath;
    const child = out[key];
    if (typeof child === 'object') {
      if (child !== null) out[key] = copyLevel2(child, depth + 1);
    } else if (typeof child === 'function' || typeof child === 'symbol') throw slowPath;
  }
  if (count > SPREAD_LIMIT) largeLevels |= 2;
  return out;
}

function copyLevel2(value: object, depth: number): unknown {
  if (Object.getPrototypeOf(value) !== Object.prototype) return copyNonRecord(value, depth, copyLevel3);
  if ((largeLevels & 4) !== 0) {
    const keys = Object.keys(value);
    if (keys.length > SPREAD_LIMIT) return copyLargeRecord(value as Record<string, unknown>, keys, depth, copyLevel3);
  }
  const out: Record<string, unknown> = { ...value };
  let count = 0;
  for (const key in out) {
    count += 1;
    if (isForbiddenKey(key)) throw slowPath;
    const child = out[key];
    if (typeof child === 'object') {
      if (child !== null) out[key] = copyLevel3(child, depth + 1);
    } else if (typeof child === 'function' || typeof child === 'symbol') throw slowPath;
  }
  if (count > SPREAD_LIMIT) largeLevels |= 4;
  return out;
}

function copyLevel3(value: object, depth: number): unknown {
  if (Object.getPrototypeOf(value) !== Object.prototype) return copyNonRecord(value, depth, copyDeep);
  if ((largeLevels & 8) !== 0) {
    const keys = Object.keys(value);
    if (keys.length > SPREAD_LIMIT) return copyLargeRecord(value as Record<string, unknown>, keys, depth, copyDeep);
  }
  const out: Record<string, unknown> = { ...value };
  let count = 0;
  for (const key in out) {
    count += 1;
    if (isForbiddenKey(key)) throw slowPath;
    const child = out[key];
    if (typeof child === 'object') {
      if (child !== null) out[key] = copyDeep(child, depth + 1);
    } else if (typeof child === 'function' || typeof child === 'symbol') throw slowPath;
  }
  if (count > SPREAD_LIMIT) largeLevels |= 8;
  return out;
}

/** Level four and below: one generic copier with shared call sites. */
function copyDeep(value: object, depth: number): unknown {
  if (depth > MAX_FAST_DEPTH) throw slowPath;
  if (Object.getPrototypeOf(value) !== Object.prototype) return copyNonRecord(value, depth, copyDeep);
  return copyLargeRecord(value as Record<string, unknown>, Object.keys(value), depth, copyDeep);
}

/** Rebuilds a plain object key by key (a spread of a dictionary-mode object is slow). */
function copyLargeRecord(value: Record<string, unknown>, keys: readonly string[], depth: number, next: LevelCopier): unknown {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (isForbiddenKey(key)) throw slowPath;
    out[key] = copyChild(value[key], depth, next);
  }
  return out;
}

/** Copies a child value with the next level's copier. */
function copyChild(child: unknown, depth: number, next: LevelCopier): unknown {
  if (typeof child === 'object') return child === null ? null : next(child, depth + 1);
  if (typeof child === 'function' || typeof child === 'symbol') throw slowPath;
  return child;
}

/** Copies what is not a plain object with `Object.prototype`: arrays, null-prototype objects, Dates, Maps, Sets, RegExps. */
function copyNonRecord(value: object, depth: number, next: LevelCopier): unknown {
  if (Array.isArray(value)) {
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i += 1) out[i] = copyChild(value[i], depth, next);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (isForbiddenKey(key)) throw slowPath;
      out[key] = copyChild((value as Record<string, unknown>)[key], depth, next);
    }
    return out;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw slowPath;
    return new Date(time);
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [key, item] of value) out.set(copyChild(key, depth, next), copyChild(item, depth, next));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    for (const item of value) out.add(copyChild(item, depth, next));
    return out;
  }
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  throw slowPath; // Errors, class instances, promises...
}
