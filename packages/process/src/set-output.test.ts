import { describe, expect, it } from 'vitest';
import { setOutput } from './set-output.js';

describe('setOutput', () => {
  it('sets a top-level output', () => {
    const outputs: Record<string, unknown> = {};
    setOutput(outputs, 'x', 1);
    expect(outputs).toEqual({ x: 1 });
  });

  it('creates the namespaces of a dotted name and keeps what they hold', () => {
    const outputs: Record<string, unknown> = {};
    setOutput(outputs, 'ns.sub.a', 1);
    setOutput(outputs, 'ns.b', 2);
    setOutput(outputs, 'ns.sub.c', 3);
    expect(outputs).toEqual({ ns: { sub: { a: 1, c: 3 }, b: 2 } });
  });
});
