import { describe, expect, it } from 'vitest';
import { DecodeError, decodeValue, encodeValue } from './codec.js';

const roundTrip = (value: unknown): unknown => decodeValue(encodeValue(value));

describe('codec', () => {
  it('keeps plain JSON values as plain JSON', () => {
    const value = { a: 1, b: 'two', c: [true, null, 2.5], d: { e: {} } };
    expect(JSON.parse(encodeValue(value))).toEqual(value);
    expect(roundTrip(value)).toEqual(value);
  });

  it('round-trips values JSON cannot represent', () => {
    const value = {
      date: new Date('2020-01-02T03:04:05.678Z'),
      invalidDate: new Date(NaN),
      map: new Map<unknown, unknown>([[1, 'one'], [{ k: 'object key' }, new Set([1, 2])]]),
      set: new Set(['a', 'b']),
      big: -(2n ** 80n),
      missing: undefined,
      regexp: /^a.b$/gimsu,
      numbers: [NaN, Infinity, -Infinity, -0, 0],
      bytes: new Uint8Array([0, 1, 254, 255]),
      sparse: [undefined, 1],
    };
    const decoded = roundTrip(value) as typeof value;
    expect(decoded).toEqual(value);
    expect(Object.is(decoded.numbers[3], -0)).toBe(true);
    expect(decoded.regexp.flags).toBe('gimsu');
    expect('missing' in decoded).toBe(true);
    expect(decoded.bytes).toBeInstanceOf(Uint8Array);
  });

  it('round-trips errors with their class, name, message, stack, cause and own properties', () => {
    const cause = new TypeError('the cause');
    const error = Object.assign(new RangeError('out of range', { cause }), { code: 'E_RANGE', detail: { n: 1 } });
    const decoded = roundTrip(error) as RangeError & { code: string; detail: unknown };
    expect(decoded).toBeInstanceOf(RangeError);
    expect(decoded.message).toBe('out of range');
    expect(decoded.stack).toBe(error.stack);
    expect(decoded.cause).toBeInstanceOf(TypeError);
    expect((decoded.cause as Error).message).toBe('the cause');
    expect(decoded.code).toBe('E_RANGE');
    expect(decoded.detail).toEqual({ n: 1 });

    class CustomError extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'CustomError';
      }
    }
    const custom = roundTrip(new CustomError('custom')) as Error;
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe('CustomError');
    expect(custom.message).toBe('custom');
  });

  it('keeps user objects that look like tagged values intact', () => {
    const value = { $t: 'date', v: 'not a date' };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip([{ $t: 'x' }])).toEqual([{ $t: 'x' }]);
  });

  it('keeps a __proto__ key an own property', () => {
    const decoded = decodeValue('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats functions and symbols as JSON does and uses toJSON', () => {
    const value = { f: () => 1, s: Symbol('s'), list: [() => 1], url: new URL('https://example.org/x') };
    expect(roundTrip(value)).toEqual({ list: [null], url: 'https://example.org/x' });
  });

  it('refuses cyclic structures but accepts shared ones', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(cyclic)).toThrow(TypeError);
    const shared = { x: 1 };
    expect(roundTrip([shared, shared])).toEqual([{ x: 1 }, { x: 1 }]);
  });

  it('rejects text that is not a valid encoding with DecodeError', () => {
    expect(() => decodeValue('{oops')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"date"}')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"nonsense","v":1}')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"bigint","v":"1.5"}')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"map","v":[[1]]}')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"regexp","v":{"source":"(","flags":""}}')).toThrow(DecodeError);
    expect(() => decodeValue('{"$t":"error","v":{"message":1}}')).toThrow(DecodeError);
  });
});
