import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('fills in the defaults', () => {
    const options = resolveOptions({}, 'id');
    expect(options).toMatchObject({ ...DEFAULT_NAMES, prefetch: 1, heartbeat: 30, timeoutMs: 30_000, taskTimeoutMs: undefined });
    expect(options.connectionName).toBe('plumpy-ts id');
  });

  it('refuses invalid numbers', () => {
    expect(() => resolveOptions({ prefetch: 0 }, 'id')).toThrow(RangeError);
    expect(() => resolveOptions({ timeoutMs: Number.NaN }, 'id')).toThrow(RangeError);
    expect(() => resolveOptions({ heartbeat: -1 }, 'id')).toThrow(RangeError);
    expect(resolveOptions({ heartbeat: 0 }, 'id').heartbeat).toBe(0);
  });
});
