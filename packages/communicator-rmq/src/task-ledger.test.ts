import { describe, expect, it } from 'vitest';
import { TaskLedger, type TaskDelivery } from './task-ledger.js';

describe('TaskLedger', () => {
  const delivery = {} as TaskDelivery;

  it('tracks running tasks and remembers a bounded number of finished ones', () => {
    const ledger = new TaskLedger(2);
    const running = ledger.start('a', delivery);
    expect(ledger.runningTask('a')).toBe(running);
    ledger.finish('a', { replyTo: 'q', reply: undefined });
    expect(ledger.runningTask('a')).toBeUndefined();
    expect(ledger.finishedTask('a')).toEqual({ replyTo: 'q', reply: undefined });
    ledger.finish('b', { replyTo: undefined, reply: undefined });
    ledger.finish('c', { replyTo: undefined, reply: undefined });
    expect(ledger.finishedTask('a')).toBeUndefined();
    expect(ledger.finishedTask('c')).toBeDefined();
  });

  it('forgets an abandoned run', () => {
    const ledger = new TaskLedger(2);
    ledger.start('a', delivery);
    ledger.abandon('a');
    expect(ledger.runningTask('a')).toBeUndefined();
    expect(ledger.finishedTask('a')).toBeUndefined();
  });
});
