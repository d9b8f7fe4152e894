import { describe, expect, it } from 'vitest';
import { createMicrotaskQueue } from './drive-queue.js';

describe('createMicrotaskQueue', () => {
  it('handles the scheduled items in a microtask, in order', async () => {
    const handled: number[] = [];
    const queue = createMicrotaskQueue<number>(
      (item) => handled.push(item),
      () => {},
    );
    queue.schedule(1);
    queue.schedule(2);
    expect(handled).toEqual([]);
    await Promise.resolve();
    expect(handled).toEqual([1, 2]);
  });

  it('handles an item scheduled during a batch in a later microtask', async () => {
    const handled: string[] = [];
    const queue = createMicrotaskQueue<string>(
      (item) => {
        handled.push(item);
        if (item === 'first') queue.schedule('later');
      },
      () => {},
    );
    queue.schedule('first');
    await Promise.resolve();
    expect(handled).toEqual(['first']);
    await Promise.resolve();
    expect(handled).toEqual(['first', 'later']);
  });

  it('reports an error of one item and still handles the others', async () => {
    const handled: string[] = [];
    const errors: [string, unknown][] = [];
    const queue = createMicrotaskQueue<string>(
      (item) => {
        if (item === 'bad') throw new RangeError('bad item');
        handled.push(item);
      },
      (item, error) => errors.push([item, error]),
    );
    queue.schedule('bad');
    queue.schedule('good');
    await Promise.resolve();
    expect(handled).toEqual(['good']);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBe('bad');
    expect(errors[0]![1]).toBeInstanceOf(RangeError);
  });
});
