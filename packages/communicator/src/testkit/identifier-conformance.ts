import { describe, expect, it } from 'vitest';
import type { Communicator } from '../communicator.js';
import { DuplicateSubscriberIdentifier } from '../errors.js';
import type { Harness } from './harness.js';

/** The three kinds of subscriber, each with its add and remove methods. */
const kinds = [
  {
    kind: 'RPC',
    add: (c: Communicator, id?: string) => c.addRpcSubscriber(() => undefined, id),
    remove: (c: Communicator, id: string) => c.removeRpcSubscriber(id),
  },
  {
    kind: 'task',
    add: (c: Communicator, id?: string) => c.addTaskSubscriber(() => undefined, id),
    remove: (c: Communicator, id: string) => c.removeTaskSubscriber(id),
  },
  {
    kind: 'broadcast',
    add: (c: Communicator, id?: string) => c.addBroadcastSubscriber(() => undefined, id),
    remove: (c: Communicator, id: string) => c.removeBroadcastSubscriber(id),
  },
] as const;

/** Registers the tests of subscriber identifiers: generation, duplicates, removal. */
export function describeIdentifierConformance(h: Harness): void {
  describe('subscriber identifiers', () => {
    for (const { kind, add, remove } of kinds) {
      it(`returns the identifier a ${kind} subscriber was added under`, () => {
        const id = h.uid(kind);
        expect(add(h.receiver, id)).toBe(id);
      }, h.testTimeoutMs);

      it(`generates distinct identifiers for ${kind} subscribers added without one`, () => {
        const first = add(h.receiver);
        const second = add(h.receiver);
        expect(typeof first).toBe('string');
        expect(first).not.toBe('');
        expect(second).not.toBe(first);
        // A generated identifier works for removal like a given one.
        remove(h.receiver, first);
        remove(h.receiver, second);
      }, h.testTimeoutMs);

      it(`rejects a duplicate ${kind} subscriber identifier with DuplicateSubscriberIdentifier`, () => {
        const id = h.uid(kind);
        add(h.receiver, id);
        expect(() => add(h.receiver, id)).toThrow(DuplicateSubscriberIdentifier);
      }, h.testTimeoutMs);

      it(`throws when removing a ${kind} subscriber that does not exist`, () => {
        expect(() => remove(h.receiver, h.uid('nobody'))).toThrow();
        const id = h.uid(kind);
        add(h.receiver, id);
        remove(h.receiver, id);
        expect(() => remove(h.receiver, id)).toThrow();
      }, h.testTimeoutMs);

      it(`accepts a ${kind} subscriber under the identifier of one that was removed`, () => {
        const id = h.uid(kind);
        add(h.receiver, id);
        remove(h.receiver, id);
        expect(add(h.receiver, id)).toBe(id);
      }, h.testTimeoutMs);
    }

    it('keeps separate identifier spaces for RPC, task and broadcast subscribers', async () => {
      // A process subscribes for RPC and for broadcasts under its pid.
      const id = h.uid('pid');
      expect(h.receiver.addRpcSubscriber(() => 'rpc', id)).toBe(id);
      expect(h.receiver.addTaskSubscriber(() => 'task', id)).toBe(id);
      expect(h.receiver.addBroadcastSubscriber(() => undefined, id)).toBe(id);

      await expect(h.within(h.sender.rpcSend(id, null), 'the RPC reply')).resolves.toBe('rpc');
      await expect(h.within(h.sender.taskSend(null), 'the task result')).resolves.toBe('task');

      h.receiver.removeBroadcastSubscriber(id);
      await expect(h.within(h.sender.rpcSend(id, null), 'the RPC reply')).resolves.toBe('rpc');
    }, h.testTimeoutMs);
  });
}
