import { describe, expect, it } from 'vitest';
import { ClassRegistry } from './class-registry.js';
import { LoadSaveContext } from './load-save-context.js';

describe('LoadSaveContext', () => {
  it('defaults the loader to the default class registry', () => {
    expect(new LoadSaveContext().loader).toBe(ClassRegistry.default);
  });

  it('carries a loader and extra values', () => {
    const loader = new ClassRegistry();
    const context = new LoadSaveContext({ loader, communicator: 'comm', logger: undefined });
    expect(context.loader).toBe(loader);
    expect(context.get('communicator')).toBe('comm');
    expect(context.has('logger')).toBe(true);
    expect(context.has('loader')).toBe(false);
    expect(context.get('missing')).toBeUndefined();
    expect(context.values).toEqual({ communicator: 'comm', logger: undefined });
  });

  it('copies with overrides and leaves the original unchanged', () => {
    const loader = new ClassRegistry();
    const original = new LoadSaveContext({ loader, a: 1, b: 2 });
    const extended = original.copyExtend({ b: 3, c: 4 });
    expect(extended.values).toEqual({ a: 1, b: 3, c: 4 });
    expect(extended.loader).toBe(loader);
    expect(original.values).toEqual({ a: 1, b: 2 });
    const other = new ClassRegistry();
    expect(original.copyExtend({ loader: other }).loader).toBe(other);
  });

  it('cannot be changed through its values', () => {
    const context = new LoadSaveContext({ a: 1 });
    expect(() => {
      (context.values as Record<string, unknown>).a = 2;
    }).toThrow(TypeError);
  });
});
