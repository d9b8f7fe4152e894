/**
 * A constructor accepted as a `validType`. `String`, `Number`, `Boolean`, `BigInt` and `Symbol`
 * match the primitive (by `typeof`, boxed values by `instanceof`), `Object` matches a plain object,
 * `Array` an array, `Function` any function, and any other class matches by `instanceof`.
 */
export type TypeConstructor =
  | (abstract new (...args: never[]) => unknown)
  | BigIntConstructor
  | SymbolConstructor;

/**
 * What a port accepts: one {@link TypeConstructor}, an array of them (any may match), or
 * `null`/`undefined` for "any value".
 */
export type ValidType = TypeConstructor | readonly TypeConstructor[] | null | undefined;

/** A compiled type test: `true` when the value is acceptable. */
export type TypeCheck = (value: unknown) => boolean;

/** Whether `value` is a plain object (its prototype is `Object.prototype` or `null`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isString: TypeCheck = (v) => typeof v === 'string' || v instanceof String;
const isNumber: TypeCheck = (v) => typeof v === 'number' || v instanceof Number;
const isBoolean: TypeCheck = (v) => typeof v === 'boolean' || v instanceof Boolean;
const isBigInt: TypeCheck = (v) => typeof v === 'bigint' || v instanceof BigInt;
const isSymbol: TypeCheck = (v) => typeof v === 'symbol' || v instanceof Symbol;
const isFunction: TypeCheck = (v) => typeof v === 'function';

function compileOne(type: TypeConstructor): TypeCheck {
  switch (type as unknown) {
    case String:
      return isString;
    case Number:
      return isNumber;
    case Boolean:
      return isBoolean;
    case BigInt:
      return isBigInt;
    case Symbol:
      return isSymbol;
    case Object:
      return isPlainObject;
    case Array:
      return Array.isArray;
    case Function:
      return isFunction;
    default:
      if (typeof type !== 'function') {
        throw new TypeError(`validType must be a constructor, got ${describeValueType(type)}`);
      }
      return (v) => v instanceof type;
  }
}

/**
 * Turn a {@link ValidType} into a fast test function, or `undefined` when any value is valid.
 *
 * @throws TypeError when an entry is not a constructor.
 */
export function compileTypeCheck(validType: ValidType): TypeCheck | undefined {
  if (validType === null || validType === undefined) return undefined;
  if (!isTypeArray(validType)) return compileOne(validType);
  const checks = validType.map(compileOne);
  if (checks.length === 1) return checks[0];
  return (v) => {
    for (const check of checks) if (check(v)) return true;
    return false;
  };
}

function isTypeArray(validType: TypeConstructor | readonly TypeConstructor[]): validType is readonly TypeConstructor[] {
  return Array.isArray(validType);
}

/** The name of a {@link ValidType} as used in messages and descriptions: `'Number'`, `'String | Number'`. */
export function describeValidType(validType: ValidType): string | undefined {
  if (validType === null || validType === undefined) return undefined;
  if (isTypeArray(validType)) return validType.map((t) => t.name).join(' | ');
  return validType.name;
}

/**
 * The type name of a value for error messages: `typeof` for primitives (`'string'`, `'number'`),
 * `'null'`, and the constructor name for objects (`'Object'`, `'Array'`, `'Date'`).
 */
export function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return 'Object';
  const ctor: unknown = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'Object';
}
