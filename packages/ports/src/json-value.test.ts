import { describe, expect, it } from 'vitest';
import { formatJson, toJsonValue } from './json-value.js';

class Thing {
  toString(): string {
    return 'a thing';
  }
}
class Opaque {}

describe('toJsonValue', () => {
  it('keeps JSON values and converts the rest', () => {
    expect(toJsonValue({ a: [1, 'x', true, null] })).toEqual({ a: [1, 'x', true, null] });
    expect(toJsonValue(undefined)).toBeNull();
    expect(toJsonValue(5n)).toBe('5n');
    expect(toJsonValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(toJsonValue(function named() {})).toBe('[Function: named]');
    expect(toJsonValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toJsonValue(new Map([['k', 1]]))).toEqual({ k: 1 });
    expect(toJsonValue(new Set([1, 2]))).toEqual([1, 2]);
    expect(toJsonValue(new Thing())).toBe('a thing');
    expect(toJsonValue(new Opaque())).toBe('[Opaque]');
    expect(toJsonValue(Symbol('s'))).toBe('Symbol(s)');
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(toJsonValue(cyclic)).toEqual({ a: 1, self: '[Circular]' });
  });

  it('formats compact JSON', () => {
    expect(formatJson({ z: 2 })).toBe('{"z":2}');
    expect(formatJson({ big: 1n })).toBe('{"big":"1n"}');
  });
});
