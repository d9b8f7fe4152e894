import { SuperJSON } from 'superjson';
import { describe, expect, it } from 'vitest';
import { Bundle } from './bundle.js';
import { deserializeBundle, serializeBundle, serializeCheckpoint } from './codec.js';
import { PersistenceError, UnknownClassError } from './errors.js';
import { checkpointRevision } from './revision.js';
import type { SavedState } from './savable.js';
import { encodeSuperJson } from './superjson-encoder.js';

class Holder {
  constructor(
    public pid: string | number,
    public data: Record<string, unknown>,
  ) {}

  save(): SavedState {
    return { pid: this.pid, data: this.data };
  }

  static recreateFromSavedState(state: SavedState): Holder {
    return new Holder(state.pid as string, state.data as Record<string, unknown>);
  }
}

/** superjson including an Error's stack, which this package also keeps. */
const reference = new SuperJSON();
reference.allowErrorProps('stack');

const samples: Record<string, unknown> = {
  'plain JSON': { a: 1, b: 'two', c: [true, null, { d: 1.5 }] },
  'top-level undefined': undefined,
  'undefined members': { a: undefined, b: [undefined, 1], c: { d: undefined } },
  numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e300],
  bigint: { big: 2n ** 70n, list: [1n, -1n] },
  dates: { when: new Date(0), list: [new Date('2020-01-01T00:00:00Z')] },
  maps: new Map<unknown, unknown>([
    ['a', new Date(1)],
    [{ k: undefined }, new Map([[1n, new Set([undefined])]])],
  ]),
  sets: { s: new Set([new Date(2), 'x', { y: undefined }]) },
  regexp: { r: /a.b\/c/gimsuy },
  errors: { e: Object.assign(new Error('outer', { cause: Object.assign(new Error('inner'), { name: 'Error' }) }), { name: 'Named' }) },
  'keys with dots and backslashes': { 'a.b': { 'c\\d': undefined, 'e.f': [new Date(3)] } },
  'nested containers': [[[new Set([[undefined]])]]],
  'empty containers': { a: [], b: {}, c: new Map(), d: new Set() },
  'wide objects with annotations': Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`key_${i}`, i % 3 === 0 ? { at: new Date(i), gone: undefined } : { value: i, label: `item-${i}` }]),
  ),
  'null prototype': Object.assign(Object.create(null) as object, { a: undefined, b: 1 }),
};

describe('encodeSuperJson', () => {
  it.each(Object.entries(samples))('writes what superjson.serialize writes: %s', (_name, value) => {
    expect(encodeSuperJson(value)).toEqual(reference.serialize(value));
  });

  it.each(Object.entries(samples))('is read back by superjson.parse: %s', (_name, value) => {
    expect(reference.parse(JSON.stringify(encodeSuperJson(value)))).toEqual(value);
  });

  it('does not copy containers that need no annotation', () => {
    const plain = { a: [1, 2], b: { c: 'x' } };
    const withUndefined = { plain, other: { x: undefined } };
    const encoded = encodeSuperJson(withUndefined).json as typeof withUndefined;
    expect(encoded.plain).toBe(plain);
    expect(encoded.other).not.toBe(withUndefined.other);
    expect(withUndefined.other).toEqual({ x: undefined });
  });

  it('encodes data nested deeper than the fast path goes', () => {
    let deep: unknown = { leaf: undefined };
    for (let i = 0; i < 700; i += 1) deep = { next: deep };
    expect(encodeSuperJson(deep)).toEqual(reference.serialize(deep as never));
  });

  it('refuses values that are not plain data, naming the path', () => {
    expect(() => encodeSuperJson({ ctx: { p: Promise.resolve() } })).toThrow(/'state\.ctx\.p'.*Promise/);
    expect(() => encodeSuperJson({ m: new Map([['k', () => 1]]) })).toThrow(/state\.m\[0\]\[1\]/);
    const circular: Record<string, unknown> = {};
    circular.self = new Set([circular]);
    expect(() => encodeSuperJson(circular)).toThrow(/circular/);
    expect(() => encodeSuperJson(JSON.parse('{"constructor":{"x":1}}'))).toThrow(/'constructor' is not allowed/);
  });
});

describe('serializeBundle / deserializeBundle', () => {
  it('round-trips a bundle with rich values', () => {
    const holder = new Holder(7, { ...samples });
    const bundle = new Bundle(holder);
    const text = serializeBundle(bundle);
    const read = deserializeBundle(text);
    expect(read).toBeInstanceOf(Bundle);
    expect(read).toEqual(bundle);
    expect(read.unbundle<Holder>().data).toEqual(holder.data);
  });

  it('writes superjson text with a version field', () => {
    const text = serializeBundle(new Bundle(new Holder('p', { when: new Date(0) })));
    const parsed = JSON.parse(text) as { json: Record<string, unknown>; meta: unknown };
    expect(parsed.json.version).toBe(1);
    expect(parsed.json.format).toBe('plumpy-ts.bundle');
    expect(SuperJSON.parse<{ state: { data: { when: Date } } }>(text).state.data.when).toEqual(new Date(0));
  });

  it('names the source of a corrupt or truncated text', () => {
    const text = serializeBundle(new Bundle(new Holder('p', { a: 1 })));
    expect(() => deserializeBundle(text.slice(0, text.length / 2), '/data/p.json')).toThrow(PersistenceError);
    expect(() => deserializeBundle(text.slice(0, text.length / 2), '/data/p.json')).toThrow(
      /Cannot read \/data\/p\.json: it is corrupt or truncated/,
    );
    expect(() => deserializeBundle('', 'empty.json')).toThrow(/empty\.json/);
  });

  it('refuses a bundle of an unknown version and text that is not a bundle', () => {
    const text = serializeBundle(new Bundle(new Holder('p', {})));
    expect(() => deserializeBundle(text.replace('"version":1', '"version":2'), 'x.json')).toThrow(
      /x\.json has bundle version 2/,
    );
    expect(() => deserializeBundle('{"json":{"hello":1}}', 'y.json')).toThrow(/y\.json is not a plumpy-ts bundle/);
  });

  it('revives no class, symbol or custom type a text names', () => {
    const evil = JSON.stringify({
      json: { format: 'plumpy-ts.bundle', version: 1, classId: 'Holder', pid: 'p', revision: 1, state: { x: {} } },
      meta: { values: { 'state.x': [['class', 'Holder']] }, v: 1 },
    });
    expect(() => deserializeBundle(evil, 'evil.json')).toThrow(/Cannot read evil\.json/);
    const unknown = serializeBundle({ ...new Bundle(new Holder('p', {})).toData(), classId: 'Nope' });
    expect(() => deserializeBundle(unknown).unbundle()).toThrow(UnknownClassError);
  });

  it('keeps a read bundle pristine however often it is unbundled or read', () => {
    const bundle = deserializeBundle(serializeBundle(new Bundle(new Holder('p', { list: [1] }))));
    const first = bundle.unbundle<Holder>();
    (first.data.list as number[]).push(2);
    expect(bundle.state).toEqual({ pid: 'p', data: { list: [1] } });
    const second = bundle.unbundle<Holder>();
    (second.data.list as number[]).push(3);
    expect(bundle.unbundle<Holder>().data).toEqual({ list: [1] });
    const viewed = deserializeBundle(serializeBundle(new Bundle(new Holder('p', { list: [1] }))));
    const state = viewed.state;
    (viewed.unbundle<Holder>().data.list as number[]).push(2);
    expect(state).toEqual({ pid: 'p', data: { list: [1] } });
    expect(viewed).toEqual(deserializeBundle(serializeBundle(viewed)));
  });

  it('serializes a checkpoint in one go, advancing the revision', () => {
    const holder = new Holder(12, { a: new Set([1]) });
    const checkpoint = serializeCheckpoint(holder);
    expect(checkpoint.pid).toBe('12');
    expect(checkpoint.revision).toBe(1);
    expect(checkpoint.classId).toBe('Holder');
    expect(checkpointRevision(holder)).toBe(1);
    const read = deserializeBundle(checkpoint.text);
    expect(read.pid).toBe(12);
    expect(read.revision).toBe(1);
    expect(read.state).toEqual({ pid: 12, data: { a: new Set([1]) } });
  });
});
