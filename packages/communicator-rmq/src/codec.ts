/**
 * A self-contained JSON codec for message bodies. Plain JSON values travel as
 * they are; values JSON cannot represent are tagged as `{ "$t": tag, "v": data }`:
 * `undefined`, `Date`, `Map`, `Set`, `BigInt`, `RegExp`, `Error` (name, message,
 * stack, cause and own properties), `Uint8Array`/`Buffer` and the numbers
 * `NaN`, `Infinity`, `-Infinity` and `-0`. A plain object that happens to have
 * a `$t` key is itself wrapped (`"$t": "object"`), so any decoded object is what
 * was encoded.
 *
 * Functions and symbols are dropped from objects and become `null` in arrays,
 * as with `JSON.stringify`; other class instances travel as plain objects of
 * their own enumerable properties (or their `toJSON()` result). Cyclic
 * structures are refused with a `TypeError`.
 */

const TAG = '$t';
const VALUE = 'v';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const builtinErrors: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function tagged(tag: string, value: Json): Json {
  return { [TAG]: tag, [VALUE]: value };
}

/** The encoding of `undefined` (shared: JSON.stringify may meet one object any number of times). */
const UNDEFINED: Json = Object.freeze(tagged('undefined', null)) as Json;

/** Sets `record[key]`, keeping a `__proto__` key an own property instead of setting the prototype. */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** Whether a for-in over a plain object sees only its own keys (nobody gave Object.prototype enumerable keys). */
function objectPrototypeIsClean(): boolean {
  for (const _key in Object.prototype) return false;
  return true;
}

function encodeNumber(value: number): Json {
  if (Number.isNaN(value)) return tagged('number', 'NaN');
  if (value === Infinity) return tagged('number', 'Infinity');
  if (value === -Infinity) return tagged('number', '-Infinity');
  if (Object.is(value, -0)) return tagged('number', '-0');
  return value;
}

function encodeError(error: Error, seen: Set<object>): Json {
  const data: { [key: string]: Json } = { name: error.name, message: error.message };
  if (error.stack !== undefined) data.stack = error.stack;
  if (error.cause !== undefined) data.cause = encodeInner(error.cause, seen);
  const extra: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    if (typeof value === 'function' || typeof value === 'symbol') continue;
    extra[key] = encodeInner(value, seen);
  }
  if (Object.keys(extra).length > 0) data.props = extra;
  return tagged('error', data);
}

function encodeObject(value: object, seen: Set<object>): Json {
  if (seen.has(value)) throw new TypeError('Cannot encode a cyclic structure');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item: unknown) =>
        typeof item === 'function' || typeof item === 'symbol' ? null : encodeInner(item, seen),
      );
    }
    if (value instanceof Date) return tagged('date', Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
    if (value instanceof Map) {
      return tagged('map', Array.from(value, ([k, v]) => [encodeInner(k, seen), encodeInner(v, seen)]));
    }
    if (value instanceof Set) return tagged('set', Array.from(value, (item) => encodeInner(item, seen)));
    if (value instanceof RegExp) return tagged('regexp', { source: value.source, flags: value.flags });
    if (value instanceof Error) return encodeError(value, seen);
    if (value instanceof Uint8Array) return tagged('bytes', Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return encodeInner((toJSON as () => unknown).call(value), seen);
    const result: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'function' || typeof item === 'symbol') continue;
      setOwn(result, key, encodeInner(item, seen));
    }
    return Object.prototype.hasOwnProperty.call(result, TAG) ? tagged('object', result) : result;
  } finally {
    seen.delete(value);
  }
}

function encodeInner(value: unknown, seen: Set<object>): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return encodeNumber(value);
    case 'bigint':
      return tagged('bigint', value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return UNDEFINED;
    case 'object':
      return value === null ? null : encodeObject(value, seen);
    default:
      throw new TypeError(`Cannot encode a value of type ${typeof value}`);
  }
}

// ---------------------------------------------------------------- fast encoding
//
// Most message bodies are plain JSON already. The fast walk checks that
// without copying: it returns a value itself when JSON.stringify encodes it as
// the codec would, and copies only the objects and arrays on the way to a value
// that needs a tag. It does not track ancestors; past FAST_DEPTH levels (a
// cycle, or data that deep) the careful walk above starts again from the top.

/** Nesting depth at which the fast walk hands over to the careful one. */
const FAST_DEPTH = 100;
/** Thrown by the fast walk to hand over to the careful one. */
const tooDeep = new Error('codec: the fast walk hands over');

/** The encoding of a member of an object or an array (functions and symbols are left to JSON.stringify). */
function fastMember(item: unknown, depth: number): unknown {
  switch (typeof item) {
    case 'object':
      return item === null ? null : fastObject(item, depth + 1);
    case 'number':
      return encodeNumber(item);
    case 'undefined':
      return UNDEFINED;
    case 'bigint':
      return tagged('bigint', item.toString());
    default:
      return item; // a string or a boolean as it is; a function or a symbol JSON.stringify drops (null in an array)
  }
}

function fastObject(value: object, depth: number): unknown {
  if (depth > FAST_DEPTH) throw tooDeep;
  if (Array.isArray(value)) return fastArray(value as unknown[], depth);
  const proto: unknown = Object.getPrototypeOf(value);
  // Class instances (Date, Map, Error...) and objects with toJSON: the careful walk (it refuses cycles through them).
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return encodeObject(value, new Set());
  }
  const record = value as Record<string, unknown>;
  let result: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const encoded = fastMember(item, depth);
    if (result === undefined) {
      if (encoded === item && key !== TAG) continue;
      result = {};
      for (const before in record) {
        if (before === key) break;
        setOwn(result, before, record[before]); // unchanged members
      }
    }
    setOwn(result, key, encoded);
  }
  if (result === undefined) return value;
  return Object.prototype.hasOwnProperty.call(result, TAG) ? tagged('object', result as Json) : result;
}

function fastArray(value: unknown[], depth: number): unknown {
  // An array is encoded by its elements (JSON.stringify would call an own toJSON: copy it then).
  let result: unknown[] | undefined = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? [] : undefined;
  const length = value.length;
  for (let i = 0; i < length; i += 1) {
    const item = value[i];
    // A hole stays a hole (JSON null); an undefined element is tagged.
    const encoded = item === undefined && !(i in value) ? undefined : fastMember(item, depth);
    if (result === undefined) {
      if (encoded === item) continue;
      result = value.slice(0, i);
    }
    result.push(encoded);
  }
  return result ?? value;
}

/** Encodes `value` to the JSON text of a message body. @throws TypeError for cyclic structures */
export function encodeValue(value: unknown): string {
  if (typeof value === 'object' && value !== null && objectPrototypeIsClean()) {
    try {
      return JSON.stringify(fastObject(value, 0));
    } catch (error) {
      if (error !== tooDeep) throw error;
    }
  }
  return JSON.stringify(encodeInner(value, new Set()));
}

/** The JSON text of a message body is not a valid encoding. */
export class DecodeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DecodeError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeError(data: unknown): Error {
  if (!isRecord(data) || typeof data.name !== 'string' || typeof data.message !== 'string') {
    throw new DecodeError('Malformed encoded error');
  }
  const Constructor = builtinErrors[data.name] ?? Error;
  const error = new Constructor(data.message);
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true, enumerable: false });
  }
  if (typeof data.stack === 'string') error.stack = data.stack;
  else delete error.stack;
  if ('cause' in data) error.cause = decodeInner(data.cause);
  if (isRecord(data.props)) {
    for (const [key, value] of Object.entries(data.props)) setOwn(error as unknown as Record<string, unknown>, key, decodeInner(value));
  }
  return error;
}

function decodeTagged(tag: unknown, data: unknown): unknown {
  switch (tag) {
    case 'undefined':
      return undefined;
    case 'number':
      if (data === 'NaN') return NaN;
      if (data === 'Infinity') return Infinity;
      if (data === '-Infinity') return -Infinity;
      if (data === '-0') return -0;
      break;
    case 'bigint':
      if (typeof data === 'string' && /^-?\d+$/.test(data)) return BigInt(data);
      break;
    case 'date':
      if (typeof data === 'string') return new Date(data === 'Invalid Date' ? NaN : data);
      break;
    case 'map':
      if (Array.isArray(data)) {
        return new Map(
          data.map((entry: unknown) => {
            if (!Array.isArray(entry) || entry.length !== 2) throw new DecodeError('Malformed encoded Map entry');
            return [decodeInner(entry[0]), decodeInner(entry[1])] as const;
          }),
        );
      }
      break;
    case 'set':
      if (Array.isArray(data)) return new Set(data.map(decodeInner));
      break;
    case 'regexp':
      if (isRecord(data) && typeof data.source === 'string' && typeof data.flags === 'string') {
        try {
          return new RegExp(data.source, data.flags);
        } catch (error) {
          throw new DecodeError('Malformed encoded RegExp', { cause: error });
        }
      }
      break;
    case 'error':
      return decodeError(data);
    case 'bytes':
      if (typeof data === 'string') return new Uint8Array(Buffer.from(data, 'base64'));
      break;
    case 'object':
      if (isRecord(data)) return decodePlainObject(data);
      break;
  }
  throw new DecodeError(`Unknown or malformed tagged value '${String(tag)}'`);
}

// Decoding works on what JSON.parse just made (nobody else holds it): tagged
// values are replaced where they are, and plain JSON is returned as parsed.
// (JSON.parse makes a `__proto__` key an own property, and setOwn keeps it one.)

/** Whether for-in walks of the value being decoded see own keys only (see objectPrototypeIsClean). */
let ownKeysOnly = true;

function decodePlainObject(value: Record<string, unknown>): Record<string, unknown> {
  if (ownKeysOnly) {
    for (const key in value) decodeMember(value, key);
  } else {
    for (const key of Object.keys(value)) decodeMember(value, key);
  }
  return value;
}

function decodeMember(record: Record<string, unknown>, key: string): void {
  const item = record[key];
  if (typeof item !== 'object' || item === null) return;
  const decoded = decodeInner(item);
  if (decoded !== item) setOwn(record, key, decoded);
}

function decodeInner(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) value[i] = decodeInner(item);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  if (record[TAG] !== undefined && Object.prototype.hasOwnProperty.call(record, TAG)) {
    const keys = Object.keys(record);
    if (keys.length !== 2 || !Object.prototype.hasOwnProperty.call(record, VALUE)) throw new DecodeError('Malformed tagged value');
    return decodeTagged(record[TAG], record[VALUE]);
  }
  return decodePlainObject(record);
}

/** Decodes the JSON text of a message body. @throws DecodeError when it is not JSON or not a valid encoding */
export function decodeValue(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DecodeError('The message body is not JSON', { cause: error });
  }
  ownKeysOnly = objectPrototypeIsClean();
  return decodeInner(parsed);
}
