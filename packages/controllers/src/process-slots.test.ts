import { TaskRejected } from '@plumpy-ts/communicator';
import { describe, expect, it } from 'vitest';
import { ProcessSlots } from './process-slots.js';

describe('ProcessSlots', () => {
  it('hands out slots up to the limit, then queues in order', async () => {
    const slots = new ProcessSlots(2);
    await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    expect(slots.waiting).toBe(2);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    expect(slots.used).toBe(2);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    slots.release();
    slots.release();
    expect(slots.used).toBe(0);
  });

  it('refuses waiting and later requests with TaskRejected once closed', async () => {
    const slots = new ProcessSlots(1);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.close();
    await expect(waiting).rejects.toBeInstanceOf(TaskRejected);
    await expect(slots.acquire()).rejects.toBeInstanceOf(TaskRejected);
  });

  it('refuses a limit below one', () => {
    expect(() => new ProcessSlots(0)).toThrow(RangeError);
  });
});
