import { describe, expect, it, vi } from 'vitest';
import { CheckpointTextDecoder } from './checkpoint-text-decoder.js';
import { serializeBundle } from './codec.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from './bundle-data.js';
import { PersistenceError } from './errors.js';

function text(revision: number, state: Record<string, unknown>): string {
  return serializeBundle({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, classId: 'test/Thing', pid: 'p1', revision, state });
}

describe('CheckpointTextDecoder', () => {
  it('decodes the same text again to an equal state that shares nothing with the earlier one', () => {
    const decoder = new CheckpointTextDecoder();
    const saved = text(1, { ctx: { when: new Date(5), items: new Map([['a', { n: 1 }]]) } });
    const first = decoder.decode('key', saved, 'first');
    const firstState = first.state as { ctx: { items: Map<string, { n: number }> } };
    firstState.ctx.items.get('a')!.n = 99;
    const second = decoder.decode('key', saved, 'second');
    expect(second.state).toEqual({ ctx: { when: new Date(5), items: new Map([['a', { n: 1 }]]) } });
    expect(second.revision).toBe(1);
    expect(second.state).not.toBe(first.state);
  });

  it('parses a changed text under the same key', () => {
    const decoder = new CheckpointTextDecoder();
    decoder.decode('key', text(1, { n: 1 }), 'one');
    const bundle = decoder.decode('key', text(2, { n: 2 }), 'two');
    expect(bundle.revision).toBe(2);
    expect(bundle.state).toEqual({ n: 2 });
  });

  it('reports a corrupt text by its source, and remembers nothing for it', () => {
    const decoder = new CheckpointTextDecoder();
    const good = text(1, { n: 1 });
    decoder.decode('key', good, 'good');
    expect(() => decoder.decode('key', good.slice(0, 20), 'file /x/y.json')).toThrow(PersistenceError);
    expect(() => decoder.decode('key', good.slice(0, 20), 'file /x/y.json')).toThrow(/file \/x\/y\.json/);
    expect(decoder.decode('key', good, 'good').state).toEqual({ n: 1 });
  });

  it('forgets the oldest entries beyond its capacity, and with capacity 0 remembers none', () => {
    const decoder = new CheckpointTextDecoder({ capacity: 1 });
    decoder.decode('a', text(1, { n: 1 }), 'a');
    decoder.decode('b', text(1, { n: 2 }), 'b');
    expect(decoder.decode('a', text(1, { n: 1 }), 'a').state).toEqual({ n: 1 });
    const none = new CheckpointTextDecoder({ capacity: 0 });
    const bundle = none.decode('a', text(1, { n: 1 }), 'a');
    expect(bundle.unbundle === undefined).toBe(false);
    expect(bundle.state).toEqual({ n: 1 });
    expect(() => new CheckpointTextDecoder({ capacity: -1 })).toThrow(RangeError);
    expect(() => new CheckpointTextDecoder({ maxTextLength: 1.5 })).toThrow(/maxTextLength/);
  });

  it('does not remember a text longer than maxTextLength, and forgets what was remembered under its key', () => {
    const decoder = new CheckpointTextDecoder({ maxTextLength: 200 });
    const short = text(1, { n: 1 });
    const long = text(2, { big: 'x'.repeat(300) });
    expect(short.length).toBeLessThanOrEqual(200);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      decoder.decode('short', short, 'short');
      decoder.decode('short', short, 'short');
      expect(parse).toHaveBeenCalledTimes(1); // the second decode copied the remembered state
      decoder.decode('long', long, 'long');
      decoder.decode('long', long, 'long');
      expect(parse).toHaveBeenCalledTimes(3);
      decoder.forget('short');
      expect(decoder.decode('short', short, 'short').state).toEqual({ n: 1 });
      expect(parse).toHaveBeenCalledTimes(4);
    } finally {
      parse.mockRestore();
    }
  });
});
