import { describe, expect, it } from 'vitest';
import { BroadcastFilter } from '../broadcast-filter.js';
import type { BroadcastSubscriber } from '../communicator.js';
import { deferred, type Harness } from './harness.js';

/** One broadcast as a subscriber saw it. */
interface Seen {
  body: unknown;
  sender: string | undefined;
  subject: string | undefined;
  correlationId: string | undefined;
}

/**
 * A subscriber recording what it sees, and a way to wait until it has seen a
 * broadcast satisfying a condition.
 */
function recorder(): {
  subscriber: BroadcastSubscriber;
  seen: Seen[];
  until(condition: (seen: Seen) => boolean): Promise<void>;
} {
  const seen: Seen[] = [];
  const waiters: Array<{ condition: (s: Seen) => boolean; resolve: () => void }> = [];
  const subscriber: BroadcastSubscriber = (_communicator, body, sender, subject, correlationId) => {
    const entry = { body, sender, subject, correlationId };
    seen.push(entry);
    for (const waiter of [...waiters]) {
      if (waiter.condition(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  return {
    subscriber,
    seen,
    until(condition) {
      if (seen.some(condition)) return Promise.resolve();
      const done = deferred<void>();
      waiters.push({ condition, resolve: () => done.resolve() });
      return done.promise;
    },
  };
}

/** Registers the broadcast tests (kiwipy's `CommunicatorTester` broadcast region, and more). */
export function describeBroadcastConformance(h: Harness): void {
  describe('broadcast', () => {
    it('delivers body, sender, subject and correlation id to every subscriber', async () => {
      const first = recorder();
      const second = recorder();
      h.receiver.addBroadcastSubscriber(first.subscriber);
      h.receiver.addBroadcastSubscriber(second.subscriber);
      const message = {
        body: { text: 'so fat', values: [1, null, 'x'] },
        sender: h.uid('me'),
        subject: 'yo momma',
        correlationId: h.uid('correlation'),
      };

      const { body, ...options } = message;
      await expect(h.within(h.sender.broadcastSend(body, options), 'the broadcast send')).resolves.toBe(true);
      await h.within(
        Promise.all([first.until(() => true), second.until(() => true)]),
        'the broadcast at both subscribers',
      );

      expect(first.seen).toEqual([message]);
      expect(second.seen).toEqual([message]);
    }, h.testTimeoutMs);

    it('passes undefined for a sender, subject and correlation id that were not given', async () => {
      const received = deferred<unknown[]>();
      h.receiver.addBroadcastSubscriber((_c, body, sender, subject, correlationId) => {
        received.resolve([body, sender, subject, correlationId]);
      });

      await h.within(h.sender.broadcastSend('into the ether'), 'the broadcast send');

      await expect(h.within(received.promise, 'the broadcast')).resolves.toEqual([
        'into the ether',
        undefined,
        undefined,
        undefined,
      ]);
    }, h.testTimeoutMs);

    it('never calls a subscriber synchronously inside broadcastSend', async () => {
      const received = deferred<void>();
      let called = false;
      h.receiver.addBroadcastSubscriber(() => {
        called = true;
        received.resolve();
      });

      const sent = h.sender.broadcastSend('hello');
      expect(called).toBe(false);
      await h.within(sent, 'the broadcast send');
      await h.within(received.promise, 'the broadcast');
      expect(called).toBe(true);
    }, h.testTimeoutMs);

    it('filters by subject with a wildcard', async () => {
      const seen = recorder();
      h.receiver.addBroadcastSubscriber(new BroadcastFilter(seen.subscriber, { subject: 'purchase.*' }));

      for (const subject of ['purchase.car', 'purchase.piano', 'sell.guitar', 'sell.house', 'purchase.end']) {
        await h.sender.broadcastSend(null, { subject });
      }
      await h.within(
        seen.until((s) => s.subject === 'purchase.end'),
        'the last broadcast',
      );

      expect(seen.seen.map((s) => s.subject)).toEqual(['purchase.car', 'purchase.piano', 'purchase.end']);
    }, h.testTimeoutMs);

    it('filters by sender with a wildcard', async () => {
      const seen = recorder();
      h.receiver.addBroadcastSubscriber(new BroadcastFilter(seen.subscriber, { sender: '*.jones' }));

      for (const sender of ['bob.jones', 'bob.smith', 'martin.uhrin', 'alice.jones', 'end.jones']) {
        await h.sender.broadcastSend(null, { sender });
      }
      await h.within(
        seen.until((s) => s.sender === 'end.jones'),
        'the last broadcast',
      );

      expect(seen.seen.map((s) => s.sender)).toEqual(['bob.jones', 'alice.jones', 'end.jones']);
    }, h.testTimeoutMs);

    it('filters by sender and subject together', async () => {
      const seen = recorder();
      const filter = new BroadcastFilter(seen.subscriber);
      filter.addSenderFilter('*.jones');
      filter.addSubjectFilter('purchase.*');
      h.receiver.addBroadcastSubscriber(filter);

      for (const sender of ['bob.jones', 'bob.smith', 'martin.uhrin', 'alice.jones']) {
        for (const subject of ['purchase.car', 'purchase.piano', 'sell.guitar', 'sell.house']) {
          await h.sender.broadcastSend(null, { sender, subject });
        }
      }
      await h.sender.broadcastSend(null, { sender: 'end.jones', subject: 'purchase.end' });
      await h.within(
        seen.until((s) => s.subject === 'purchase.end'),
        'the last broadcast',
      );

      expect(seen.seen.map((s) => `${String(s.sender)} ${String(s.subject)}`)).toEqual([
        'bob.jones purchase.car',
        'bob.jones purchase.piano',
        'alice.jones purchase.car',
        'alice.jones purchase.piano',
        'end.jones purchase.end',
      ]);
    }, h.testTimeoutMs);

    it('filters with regular expressions', async () => {
      const seen = recorder();
      h.receiver.addBroadcastSubscriber(
        new BroadcastFilter(seen.subscriber, { subject: /^state_changed\.[a-z]+\.(finished|excepted)$/ }),
      );

      for (const subject of [
        'state_changed.running.waiting',
        'state_changed.running.finished',
        'state_changed.created.running',
        'state_changed.waiting.excepted',
      ]) {
        await h.sender.broadcastSend(null, { subject });
      }
      await h.within(
        seen.until((s) => s.subject === 'state_changed.waiting.excepted'),
        'the last broadcast',
      );

      expect(seen.seen.map((s) => s.subject)).toEqual(['state_changed.running.finished', 'state_changed.waiting.excepted']);
    }, h.testTimeoutMs);

    it('stops delivering to a removed subscriber and delivers again once it is re-added', async () => {
      const id = h.uid('broadcast');
      const removed = recorder();
      const witness = recorder();

      expect(h.receiver.addBroadcastSubscriber(removed.subscriber, id)).toBe(id);
      await h.sender.broadcastSend('first');
      await h.within(
        removed.until((s) => s.body === 'first'),
        'the first broadcast',
      );

      h.receiver.removeBroadcastSubscriber(id);
      // A subscriber still listening shows when the next broadcast has gone round.
      h.receiver.addBroadcastSubscriber(witness.subscriber);
      await h.sender.broadcastSend('second');
      await h.within(
        witness.until((s) => s.body === 'second'),
        'the second broadcast at the other subscriber',
      );

      h.receiver.addBroadcastSubscriber(removed.subscriber, id);
      await h.sender.broadcastSend('third');
      await h.within(
        removed.until((s) => s.body === 'third'),
        'the third broadcast',
      );

      expect(removed.seen.map((s) => s.body)).toEqual(['first', 'third']);
    }, h.testTimeoutMs);

    it('resolves true when nobody is listening', async () => {
      await expect(h.within(h.sender.broadcastSend('into the ether'), 'the broadcast send')).resolves.toBe(true);
    }, h.testTimeoutMs);

    it('keeps errors of a subscriber from other subscribers and from the sender', async () => {
      const healthy = recorder();
      h.receiver.addBroadcastSubscriber(() => {
        throw new Error('a broadcast subscriber failing on purpose');
      });
      h.receiver.addBroadcastSubscriber(() => Promise.reject(new Error('a broadcast subscriber rejecting on purpose')));
      h.receiver.addBroadcastSubscriber(healthy.subscriber);

      await expect(h.within(h.sender.broadcastSend('still fine'), 'the broadcast send')).resolves.toBe(true);
      await h.within(
        healthy.until((s) => s.body === 'still fine'),
        'the broadcast at the healthy subscriber',
      );
      // The communicator still works afterwards.
      await h.sender.broadcastSend('again');
      await h.within(
        healthy.until((s) => s.body === 'again'),
        'the next broadcast',
      );
    }, h.testTimeoutMs);
  });
}
