import { describe, expect, it } from 'vitest';
import { PersistenceError } from './errors.js';
import { copyPlainData } from './plain-data.js';

describe('copyPlainData', () => {
  it('deep-copies plain data of every supported kind', () => {
    const inner = { x: [1, { y: 2 }] };
    const value = {
      inner,
      date: new Date(10),
      map: new Map([[{ k: 1 }, inner]]),
      set: new Set([inner]),
      big: 5n,
      undef: undefined,
      regexp: /x/g,
      error: Object.assign(new Error('e'), { name: 'Error' }),
      nullProto: Object.assign(Object.create(null) as object, { a: 1 }),
    };
    const copy = copyPlainData(value);
    expect(copy).toEqual(value);
    expect(copy.inner).not.toBe(inner);
    expect(copy.date).not.toBe(value.date);
    expect([...copy.map.values()][0]).not.toBe(inner);
    expect([...copy.set][0]).not.toBe(inner);
    expect(copy.error).not.toBe(value.error);
    inner.x.push(3);
    expect(copy.inner.x).toHaveLength(2);
  });

  it('copies shared references separately', () => {
    const shared = { a: 1 };
    const copy = copyPlainData({ one: shared, two: shared });
    expect(copy.one).toEqual(copy.two);
    expect(copy.one).not.toBe(copy.two);
  });

  it.each([
    ['a function', { a: { b: () => 1 } }, /'state\.a\.b'.*a function/],
    ['a promise', { ctx: { pending: Promise.resolve() } }, /'state\.ctx\.pending'.*a Promise/],
    ['a class instance', { list: [new (class Widget {})()] }, /'state\.list\[0\]'.*an instance of Widget/],
    ['a symbol', { s: Symbol('s') }, /a symbol/],
    ['an invalid date', { d: new Date(Number.NaN) }, /invalid Date/],
    ['a forbidden key', JSON.parse('{"a":{"__proto__":1}}') as object, /'__proto__' is not allowed/],
    ['a key that needs quoting', { 'odd key': () => 1 }, /state\["odd key"\]/],
  ])('refuses %s with a PersistenceError naming the path', (_label, value, message) => {
    expect(() => copyPlainData(value)).toThrow(PersistenceError);
    expect(() => copyPlainData(value)).toThrow(message);
  });

  it('refuses circular references', () => {
    const value: Record<string, unknown> = { a: {} };
    (value.a as Record<string, unknown>).self = value;
    expect(() => copyPlainData(value)).toThrow(/circular reference/);
  });
});
