import { describe, expect, it } from 'vitest';
import { PreparedClone } from './plain-data-clone.js';

/** Every kind of plain data, with containers nested `depth` levels down. */
function sample(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf: true, list: [1, 'two', { three: 3 }] };
  for (let level = 0; level < depth; level += 1) {
    node = {
      level,
      child: node,
      wide: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key_${i}`, { value: i, label: `item-${i}` }])),
      date: new Date(level * 1000),
      map: new Map<unknown, unknown>([[{ k: level }, [node]]]),
      set: new Set([{ s: level }]),
      regexp: /x+/gi,
      error: Object.assign(new Error(`e${level}`, { cause: { why: level } }), { name: 'Error' }),
      nullProto: Object.assign(Object.create(null) as object, { n: { level } }),
      array: [[level], { nested: [level] }],
      big: BigInt(level),
      nothing: undefined,
    };
  }
  return node;
}

/** Every object reachable from `value`. */
function objectsOf(value: unknown, out = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null || out.has(value)) return out;
  out.add(value);
  if (value instanceof Map) for (const [k, v] of value) objectsOf([k, v], out);
  else if (value instanceof Set) for (const v of value) objectsOf(v, out);
  else if (value instanceof Error) objectsOf(value.cause, out);
  else for (const key of Object.keys(value)) objectsOf((value as Record<string, unknown>)[key], out);
  return out;
}

describe('PreparedClone', () => {
  it.each([0, 1, 3, 5])('clones every kind of plain data %i levels deep, sharing no object with the original', (depth) => {
    const original = sample(depth);
    const prepared = new PreparedClone(original);
    expect(prepared.value).toEqual(original);
    const first = prepared.clone();
    const second = prepared.clone();
    expect(first).toEqual(original);
    expect(second).toEqual(original);
    const others = new Set([...objectsOf(second), ...objectsOf(prepared.value), ...objectsOf(original)]);
    const shared = [...objectsOf(first)].filter((object) => others.has(object));
    expect(shared).toEqual([]);
  });

  it('gives clones that can be changed without touching the prepared value', () => {
    const prepared = new PreparedClone({ ctx: { data: { a: { value: 1 } }, list: [{ x: 1 }] } });
    const clone = prepared.clone();
    clone.ctx.data.a.value = 2;
    clone.ctx.list[0]!.x = 2;
    (clone.ctx.data as Record<string, unknown>).b = 3;
    expect(prepared.clone()).toEqual({ ctx: { data: { a: { value: 1 } }, list: [{ x: 1 }] } });
  });

  it('keeps own keys only and stays correct when Object.prototype is polluted', () => {
    const prepared = new PreparedClone({ a: { b: 1 } });
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = { evil: true };
    try {
      const clone = prepared.clone();
      expect(Object.keys(clone)).toEqual(['a']);
      expect(Object.keys(clone.a)).toEqual(['b']);
      const preparedWhilePolluted = new PreparedClone({ c: { d: 2 } });
      expect(Object.keys(preparedWhilePolluted.clone().c)).toEqual(['d']);
    } finally {
      delete proto.polluted;
    }
  });

  it('adopts a freshly parsed value without copying it', () => {
    const parsed = JSON.parse('{"a":{"b":[1,{"c":2}]}}') as { a: { b: unknown[] } };
    const prepared = new PreparedClone(parsed, true);
    expect(prepared.value).toBe(parsed);
    expect(prepared.clone()).toEqual(parsed);
    expect(prepared.clone().a.b).not.toBe(parsed.a.b);
  });

  it('passes primitives through', () => {
    expect(new PreparedClone(5).clone()).toBe(5);
    expect(new PreparedClone(null).clone()).toBe(null);
  });
});
