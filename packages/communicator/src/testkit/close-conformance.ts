import { describe, expect, it } from 'vitest';
import { CommunicatorClosed } from '../errors.js';
import { deferred, type Harness } from './harness.js';

/** Registers the tests of `close()` and `isClosed()`. */
export function describeCloseConformance(h: Harness): void {
  describe('close', () => {
    it('is reported by isClosed and can be called again', async () => {
      expect(h.sender.isClosed()).toBe(false);
      await h.within(h.sender.close(), 'close');
      expect(h.sender.isClosed()).toBe(true);
      await h.within(h.sender.close(), 'a second close');
      expect(h.sender.isClosed()).toBe(true);
    }, h.testTimeoutMs);

    it('makes adding subscribers throw CommunicatorClosed', async () => {
      await h.sender.close();
      expect(() => h.sender.addRpcSubscriber(() => undefined, h.uid('rpc'))).toThrow(CommunicatorClosed);
      expect(() => h.sender.addTaskSubscriber(() => undefined)).toThrow(CommunicatorClosed);
      expect(() => h.sender.addBroadcastSubscriber(() => undefined)).toThrow(CommunicatorClosed);
    }, h.testTimeoutMs);

    it('makes removing subscribers throw CommunicatorClosed', async () => {
      const rpc = h.sender.addRpcSubscriber(() => undefined, h.uid('rpc'));
      const task = h.sender.addTaskSubscriber(() => undefined);
      const broadcast = h.sender.addBroadcastSubscriber(() => undefined);
      await h.sender.close();
      expect(() => h.sender.removeRpcSubscriber(rpc)).toThrow(CommunicatorClosed);
      expect(() => h.sender.removeTaskSubscriber(task)).toThrow(CommunicatorClosed);
      expect(() => h.sender.removeBroadcastSubscriber(broadcast)).toThrow(CommunicatorClosed);
    }, h.testTimeoutMs);

    it('makes every send reject (not throw) with CommunicatorClosed', async () => {
      await h.sender.close();
      const sends = [
        h.sender.rpcSend(h.uid('rpc'), 'msg'),
        h.sender.taskSend('task'),
        h.sender.taskSend('task', { noReply: true }),
        h.sender.broadcastSend('body', { subject: 'subject' }),
      ];
      for (const sent of sends) {
        await expect(h.within(sent, 'the send to fail')).rejects.toBeInstanceOf(CommunicatorClosed);
      }
    }, h.testTimeoutMs);

    it('rejects an RPC still waiting for its reply with CommunicatorClosed', async () => {
      const id = h.uid('rpc');
      const received = deferred<void>();
      const never = deferred<string>();
      h.receiver.addRpcSubscriber(() => {
        received.resolve();
        return never.promise;
      }, id);
      try {
        const reply = h.sender.rpcSend(id, 'hang on');
        await h.within(received.promise, 'the RPC message');
        await h.sender.close();
        await expect(h.within(reply, 'the RPC to fail')).rejects.toBeInstanceOf(CommunicatorClosed);
      } finally {
        never.resolve('too late');
      }
    }, h.testTimeoutMs);

    it('rejects a task still waiting for its result with CommunicatorClosed', async () => {
      const received = deferred<void>();
      const never = deferred<string>();
      h.receiver.addTaskSubscriber(() => {
        received.resolve();
        return never.promise;
      });
      try {
        const result = h.sender.taskSend(h.uid('task'));
        await h.within(received.promise, 'the task');
        await h.sender.close();
        await expect(h.within(result, 'the task to fail')).rejects.toBeInstanceOf(CommunicatorClosed);
      } finally {
        never.resolve('too late');
      }
    }, h.testTimeoutMs);
  });
}
