import { describeValueType, isPlainObject } from './valid-type.js';

/** A value that survives `JSON.stringify`/`JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A JSON-able rendering of any value, used for descriptions and error messages: JSON-able values
 * are kept, plain objects and arrays are converted element-wise, functions become
 * `'[Function: name]'`, and other values their string form.
 */
export function toJsonValue(value: unknown): JsonValue {
  return convert(value, new Set());
}

function convert(value: unknown, seen: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return null;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name === '' ? '[Function (anonymous)]' : `[Function: ${value.name}]`;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item: unknown) => convert(item, seen));
    if (isPlainObject(object)) {
      const result: { [key: string]: JsonValue } = {};
      for (const key of Object.keys(object)) result[key] = convert(object[key], seen);
      return result;
    }
    const toJSON: unknown = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return convert(toJSON.call(object), seen);
    if (object instanceof Map) return convert(Object.fromEntries(object), seen);
    if (object instanceof Set) return convert([...object], seen);
    const toString = (object as { toString?: unknown }).toString;
    if (typeof toString === 'function' && toString !== Object.prototype.toString) {
      return String(toString.call(object));
    }
    return `[${describeValueType(object)}]`;
  } finally {
    seen.delete(object);
  }
}

/** `JSON.stringify` of {@link toJsonValue}: never throws, e.g. `{"z":2}`. */
export function formatJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value));
}
