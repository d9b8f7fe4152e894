import { describe, expect, it } from 'vitest';
import { BroadcastFilter } from './broadcast-filter.js';
import type { BroadcastSubscriber, Communicator } from './communicator.js';
import { LocalCommunicator } from './local-communicator.js';

/** A subscriber recording the subjects and senders it receives. */
function recording(): { subscriber: BroadcastSubscriber; received: Array<[unknown, unknown]> } {
  const received: Array<[unknown, unknown]> = [];
  return {
    received,
    subscriber: (_c, _body, sender, subject) => {
      received.push([sender, subject]);
      return 'delivered';
    },
  };
}

const communicator: Communicator = new LocalCommunicator();

describe('BroadcastFilter', () => {
  it('is a function and a BroadcastFilter', () => {
    const filter = new BroadcastFilter(() => undefined);
    expect(typeof filter).toBe('function');
    expect(filter).toBeInstanceOf(BroadcastFilter);
    expect(filter).toBeInstanceOf(Function);
    const asSubscriber: BroadcastSubscriber = filter;
    expect(asSubscriber).toBe(filter);
  });

  it('passes every broadcast to its subscriber, with all arguments, when it has no filters', () => {
    const calls: unknown[][] = [];
    const filter = new BroadcastFilter((...args) => {
      calls.push(args);
      return 'result';
    });

    expect(filter(communicator, 'body', 'sender', 'subject', 'correlation')).toBe('result');
    expect(calls).toEqual([[communicator, 'body', 'sender', 'subject', 'correlation']]);
  });

  it('passes a broadcast whose subject matches and stops the others', () => {
    const { subscriber, received } = recording();
    const filter = new BroadcastFilter(subscriber, { subject: 'purchase.*' });

    for (const subject of ['purchase.car', 'purchase.piano', 'sell.guitar', 'sell.house']) {
      filter(communicator, null, undefined, subject, undefined);
    }

    expect(received.map(([, subject]) => subject)).toEqual(['purchase.car', 'purchase.piano']);
  });

  it('returns undefined without calling the subscriber for a stopped broadcast', () => {
    let calls = 0;
    const filter = new BroadcastFilter(
      () => {
        calls += 1;
        return 'delivered';
      },
      { sender: '42' },
    );

    expect(filter(communicator, null, '43', undefined, undefined)).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('needs both the sender and the subject to pass', () => {
    const { subscriber, received } = recording();
    const filter = new BroadcastFilter(subscriber).addSenderFilter('*.jones').addSubjectFilter('purchase.*');

    for (const sender of ['bob.jones', 'bob.smith', 'martin.uhrin', 'alice.jones']) {
      for (const subject of ['purchase.car', 'purchase.piano', 'sell.guitar', 'sell.house']) {
        filter(communicator, null, sender, subject, undefined);
      }
    }

    expect(received).toEqual([
      ['bob.jones', 'purchase.car'],
      ['bob.jones', 'purchase.piano'],
      ['alice.jones', 'purchase.car'],
      ['alice.jones', 'purchase.piano'],
    ]);
  });

  it('treats several filters of one kind as alternatives', () => {
    const { subscriber, received } = recording();
    const filter = new BroadcastFilter(subscriber, { subject: 'a.*' }).addSubjectFilter(/^b\./);

    for (const subject of ['a.1', 'b.2', 'c.3']) filter(communicator, null, undefined, subject, undefined);

    expect(received.map(([, subject]) => subject)).toEqual(['a.1', 'b.2']);
  });

  it('lets a broadcast without a subject or sender through, as kiwipy does', () => {
    const filter = new BroadcastFilter(() => undefined, { subject: 'state_changed.*', sender: '42' });
    expect(filter.isFiltered(undefined, undefined)).toBe(false);
    expect(filter.isFiltered(null, null)).toBe(false);
    expect(filter.isFiltered('42', undefined)).toBe(false);
    expect(filter.isFiltered(undefined, 'other')).toBe(true);
  });

  it('matches a numeric sender by its text', () => {
    const filter = new BroadcastFilter(() => undefined, { sender: '42' });
    expect(filter.isFiltered(42 as unknown as string, 'x')).toBe(false);
    expect(filter.isFiltered(420 as unknown as string, 'x')).toBe(true);
  });

  it('exposes the wrapped subscriber', () => {
    const subscriber: BroadcastSubscriber = () => undefined;
    expect(new BroadcastFilter(subscriber).subscriber).toBe(subscriber);
  });

  it('can be subclassed', () => {
    class StateChangeFilter extends BroadcastFilter {
      constructor(subscriber: BroadcastSubscriber) {
        super(subscriber, { subject: 'state_changed.*' });
      }

      describe(): string {
        return 'state changes';
      }
    }
    const { subscriber, received } = recording();
    const filter = new StateChangeFilter(subscriber);

    filter(communicator, null, 'p', 'state_changed.a.b', undefined);
    filter(communicator, null, 'p', 'other', undefined);

    expect(filter).toBeInstanceOf(StateChangeFilter);
    expect(filter.describe()).toBe('state changes');
    expect(received).toEqual([['p', 'state_changed.a.b']]);
  });
});
