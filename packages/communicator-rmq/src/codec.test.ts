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

  it('writes plain JSON exactly as JSON.stringify does', () => {
    const value = { a: 1, b: ['x', { c: null, d: [true, 2.5, { e: 'f' }] }], g: { h: {} }, i: [] };
    expect(encodeValue(value)).toBe(JSON.stringify(value));
    expect(encodeValue([1, { a: 'b' }])).toBe(JSON.stringify([1, { a: 'b' }]));
  });

  it('tags values deep inside otherwise plain JSON, and leaves the input untouched', () => {
    const when = new Date(5);
    const value = { a: 1, b: [1, 2, { c: undefined, d: 3n }], e: { f: { g: NaN, h: 'keep' } }, i: [when, 'x'], j: 'last' };
    const before = structuredClone(value);
    const decoded = roundTrip(value) as typeof value;
    expect(decoded).toEqual(value);
    expect(Object.keys(decoded)).toEqual(['a', 'b', 'e', 'i', 'j']);
    expect(Object.keys(decoded.b[2] as object)).toEqual(['c', 'd']);
    expect(Number.isNaN(decoded.e.f.g)).toBe(true);
    expect(value).toEqual(before);
    expect(value.i[0]).toBe(when);
  });

  it('encodes an array by its elements even when it has an own toJSON', () => {
    const list = Object.assign([1, { a: 2 }], { toJSON: () => 'replaced' });
    expect(roundTrip({ list })).toEqual({ list: [1, { a: 2 }] });
  });

  it('keeps holes in arrays JSON nulls and undefined elements undefined', () => {
    const value = [1, , undefined, 4];
    expect(roundTrip(value)).toEqual([1, null, undefined, 4]);
    expect(roundTrip([1, , 3])).toEqual([1, null, 3]);
  });

  it('keeps a $t key of a nested object, and an own __proto__ key, when encoding', () => {
    const value = { outer: { list: [{ $t: 'date', v: 'x' }] } };
    expect(roundTrip(value)).toEqual(value);
    const own = JSON.parse('{"a":{"__proto__":{"x":1},"b":2},"c":[{"__proto__":[3]}]}') as Record<string, unknown>;
    const decoded = roundTrip(own) as Record<string, Record<string, unknown>>;
    expect(Object.keys(decoded.a!)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(decoded.a)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded.a, '__proto__')?.value).toEqual({ x: 1 });
    const tagged = JSON.parse('{"__proto__":{"$t":"undefined","v":null},"n":{"$t":"bigint","v":"7"}}') as object;
    const untagged = decodeValue(JSON.stringify(tagged)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(untagged)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(untagged, '__proto__')).toBe(true);
    expect(untagged.n).toBe(7n);
  });

  it('encodes data nested deeper than its fast walk, and refuses cycles through plain objects and class instances', () => {
    let deep: Record<string, unknown> = { leaf: [1, undefined] };
    for (let i = 0; i < 300; i += 1) deep = { next: deep };
    expect(roundTrip(deep)).toEqual(deep);
    const list: unknown[] = [];
    list.push({ list });
    expect(() => encodeValue({ list })).toThrow(/cyclic/);
    class Holder {
      constructor(readonly inner: Record<string, unknown>) {}
    }
    const plain: Record<string, unknown> = {};
    plain.holder = new Holder(plain);
    expect(() => encodeValue({ plain })).toThrow(/cyclic/);
  });

  it('encodes and decodes own keys only when Object.prototype has an enumerable key', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = { $t: 'undefined', v: null };
    try {
      const text = encodeValue({ a: { b: 1 }, c: [{ d: undefined }] });
      expect(text).not.toContain('polluted');
      const decoded = decodeValue(text) as Record<string, unknown>;
      expect(Object.keys(decoded)).toEqual(['a', 'c']);
      expect(Object.prototype.hasOwnProperty.call(decoded.a, 'polluted')).toBe(false);
    } finally {
      delete proto.polluted;
    }
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
