/** Whether `value` is a plain object (created by `{}`/`Object.create(null)`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether `value` has no enumerable string keys (own or inherited). */
export function hasNoKeys(value: object): boolean {
  for (const _key in value) return false;
  return true;
}

/**
 * A frozen copy of `value`: plain objects and arrays are copied recursively and
 * frozen; anything else (class instances, maps, dates, functions) is kept as is.
 */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const item: unknown = value[key];
    // A primitive is copied without a call (inputs are mostly flat).
    copy[key] = typeof item !== 'object' || item === null ? item : frozenCopy(item);
  }
  return Object.freeze(copy) as T;
}

/**
 * Freezes the plain objects and arrays in `value`, recursively, in place; stops
 * at objects already frozen. Other objects are left alone.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const item of value as unknown[]) deepFreeze(item);
  } else if (isPlainObject(value)) {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const key in value) {
      const item: unknown = value[key];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  }
  return value;
}
