import { describe, expect, it, vi } from 'vitest';
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

  it('deep-copies wide objects and arrays (the key-by-key path)', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 40; i += 1) wide[`key_${i}`] = { value: i, label: `item-${i}`, list: [i, { i }] };
    const value = { ctx: { data: wide }, list: Object.values(wide) };
    const copy = copyPlainData(value);
    expect(copy).toEqual(value);
    expect(copy.ctx.data).not.toBe(wide);
    expect(copy.ctx.data.key_7).not.toBe(wide.key_7);
    expect(copy.list[3]).not.toBe(value.list[3]);
    (wide.key_7 as { list: unknown[] }).list.push('later');
    expect((copy.ctx.data.key_7 as { list: unknown[] }).list).toHaveLength(2);
  });

  it.each([0, 1, 2, 3, 4, 5])('copies every kind of container %i levels down, and names a bad value there', (depth) => {
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, { value: i }]));
    const leaf = { wide, list: [{ a: 1 }, [2]], date: new Date(1), map: new Map([[1, { m: 1 }]]), set: new Set([{ s: 1 }]) };
    let value: Record<string, unknown> = leaf;
    for (let level = 0; level < depth; level += 1) value = { [`level${level}`]: value };
    const copy = copyPlainData(value);
    expect(copy).toEqual(value);
    let node: Record<string, unknown> = copy;
    for (let level = depth - 1; level >= 0; level -= 1) node = node[`level${level}`] as Record<string, unknown>;
    expect(node.wide).not.toBe(wide);
    expect((node.wide as Record<string, unknown>).k3).not.toBe(wide.k3);
    (leaf.list[0] as Record<string, unknown>).bad = () => undefined;
    expect(() => copyPlainData(value)).toThrow(/list\[0\]\.bad/);
  });

  it('copies data nested deeper than the fast path goes', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 700; i += 1) deep = { next: deep };
    expect(copyPlainData(deep)).toEqual(deep);
  });

  it('refuses a forbidden key or a function inside a wide object, naming the path', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 30; i += 1) wide[`k${i}`] = i;
    expect(() => copyPlainData({ wide: { ...wide, k20: () => 1 } })).toThrow(/'state\.wide\.k20'.*a function/);
    const withProto = JSON.parse(`{"wide":{${Object.keys(wide).map((k) => `"${k}":1`).join(',')},"__proto__":{"x":1}}}`) as object;
    expect(() => copyPlainData(withProto)).toThrow(/'__proto__' is not allowed/);
  });

  it('copies wide and small records alike, whichever kind a level meets first', async () => {
    // The fast copier learns per level whether it meets wide records: start from a fresh module.
    vi.resetModules();
    const fresh = await import('./plain-data.js');
    const wide = (): Record<string, unknown> => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, { i }]));
    const firstWide = JSON.parse(`{"a":{${Object.keys(wide()).map((k) => `"${k}":1`).join(',')},"__proto__":{"x":1}}}`) as object;
    expect(() => fresh.copyPlainData(firstWide)).toThrow(/'__proto__' is not allowed/);
    for (const value of [{ a: { b: 1 } }, { a: wide() }, { a: { b: 2 } }, { a: wide() }, { a: { b: { c: 3 } } }]) {
      const copy = fresh.copyPlainData(value);
      expect(copy).toEqual(value);
      expect(copy.a).not.toBe(value.a);
    }
    expect(() => fresh.copyPlainData({ a: { ...wide(), k5: () => 1 } })).toThrow(/'state\.a\.k5'.*a function/);
    expect(() => fresh.copyPlainData({ a: { b: () => 1 } })).toThrow(/'state\.a\.b'.*a function/);
  });

  it('copies only own keys even when Object.prototype has enumerable keys', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = { bad: true };
    try {
      const copy = copyPlainData({ a: { b: 1 }, wide: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, { i }])) });
      expect(Object.prototype.hasOwnProperty.call(copy.a, 'polluted')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(copy.wide, 'polluted')).toBe(false);
    } finally {
      delete proto.polluted;
    }
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
