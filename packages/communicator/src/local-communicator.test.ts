import { describe, expect, it } from 'vitest';
import { BroadcastFilter } from './broadcast-filter.js';
import {
  CommunicatorClosed,
  RemoteException,
  TaskRejected,
  UnknownSubscriberIdentifier,
  UnroutableError,
} from './errors.js';
import { LocalCommunicator, type CommunicatorLogger } from './local-communicator.js';
import { communicatorConformanceSuite } from './testkit/index.js';
import { deferred } from './testkit/harness.js';

/** A logger that keeps what it is given (the suite makes subscribers fail on purpose). */
function collectingLogger(): CommunicatorLogger & { entries: Array<[string, unknown]> } {
  const entries: Array<[string, unknown]> = [];
  return {
    entries,
    error(message, error) {
      entries.push([message, error]);
    },
  };
}

/** Resolves after every microtask queued so far (and those they queue) has run. */
function afterMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

communicatorConformanceSuite('LocalCommunicator', {
  create: () => new LocalCommunicator({ logger: collectingLogger() }),
});

describe('LocalCommunicator', () => {
  it('delivers messages as they are, without copying them', async () => {
    const communicator = new LocalCommunicator();
    const message = { big: new Array(3).fill('x') };
    const reply = { same: true };
    let received: unknown;
    communicator.addRpcSubscriber((_c, msg) => {
      received = msg;
      return reply;
    }, 'rpc');
    let task: unknown;
    communicator.addTaskSubscriber((_c, t) => {
      task = t;
      return reply;
    });

    expect(await communicator.rpcSend('rpc', message)).toBe(reply);
    expect(received).toBe(message);
    expect(await communicator.taskSend(message)).toBe(reply);
    expect(task).toBe(message);
  });

  it('keeps the original error as the cause of a RemoteException', async () => {
    const communicator = new LocalCommunicator();
    const original = new RangeError('out of range');
    communicator.addRpcSubscriber(() => {
      throw original;
    }, 'rpc');
    communicator.addTaskSubscriber(() => Promise.reject(original));

    const rpcError = await communicator.rpcSend('rpc', null).catch((e: unknown) => e);
    const taskError = await communicator.taskSend(null).catch((e: unknown) => e);

    for (const error of [rpcError, taskError]) {
      expect(error).toBeInstanceOf(RemoteException);
      expect((error as RemoteException).cause).toBe(original);
      expect((error as RemoteException).remoteName).toBe('RangeError');
      expect((error as RemoteException).remoteStack).toBe(original.stack);
    }
  });

  it('wraps a thrown non-error value into a RemoteException with its text', async () => {
    const communicator = new LocalCommunicator();
    communicator.addRpcSubscriber(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a subscriber may throw anything
      throw 'plain text';
    }, 'rpc');

    const error = await communicator.rpcSend('rpc', null).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RemoteException);
    expect((error as RemoteException).message).toBe('plain text');
    expect((error as RemoteException).remoteName).toBe('Error');
  });

  it('rejects an RPC with UnroutableError when its recipient is removed before delivery', async () => {
    const communicator = new LocalCommunicator();
    communicator.addRpcSubscriber(() => 'reply', 'rpc');
    const reply = communicator.rpcSend('rpc', null);
    communicator.removeRpcSubscriber('rpc');

    await expect(reply).rejects.toBeInstanceOf(UnroutableError);
    await expect(reply).rejects.toThrow("Unknown RPC recipient 'rpc'");
  });

  it('throws UnknownSubscriberIdentifier when removing a subscriber that does not exist', () => {
    const communicator = new LocalCommunicator();
    expect(() => communicator.removeRpcSubscriber('x')).toThrow(UnknownSubscriberIdentifier);
    expect(() => communicator.removeTaskSubscriber('x')).toThrow(UnknownSubscriberIdentifier);
    expect(() => communicator.removeBroadcastSubscriber('x')).toThrow(
      "There is no broadcast subscriber with the identifier 'x'",
    );
  });

  it('generates identifiers that skip those already taken', () => {
    const communicator = new LocalCommunicator();
    communicator.addRpcSubscriber(() => undefined, 'rpc-1');
    const generated = communicator.addRpcSubscriber(() => undefined);
    expect(generated).not.toBe('rpc-1');
    expect(communicator.addRpcSubscriber(() => undefined, '')).not.toBe('');
  });

  describe('tasks', () => {
    it('always offers a task to the first subscriber that was added first', async () => {
      const communicator = new LocalCommunicator();
      const calls: string[] = [];
      communicator.addTaskSubscriber(() => {
        calls.push('first');
        return 1;
      });
      communicator.addTaskSubscriber(() => {
        calls.push('second');
        return 2;
      });

      expect(await Promise.all([communicator.taskSend('a'), communicator.taskSend('b')])).toEqual([1, 1]);
      expect(calls).toEqual(['first', 'first']);
    });

    it('offers a task once to each subscriber in turn until one accepts it', async () => {
      const communicator = new LocalCommunicator();
      const calls: string[] = [];
      communicator.addTaskSubscriber(() => {
        calls.push('sync rejection');
        throw new TaskRejected('no');
      });
      communicator.addTaskSubscriber(async () => {
        await Promise.resolve();
        calls.push('async rejection');
        throw new TaskRejected('no');
      });
      communicator.addTaskSubscriber(() => {
        calls.push('accepted');
        return 'yes';
      });
      communicator.addTaskSubscriber(() => {
        calls.push('never asked');
        return 'no';
      });

      await expect(communicator.taskSend('task')).resolves.toBe('yes');
      expect(calls).toEqual(['sync rejection', 'async rejection', 'accepted']);
    });

    it('rejects the send with TaskRejected when every subscriber rejects the task', async () => {
      const communicator = new LocalCommunicator();
      const last = new TaskRejected('the last one says no');
      communicator.addTaskSubscriber(() => {
        throw new TaskRejected('no');
      });
      communicator.addTaskSubscriber(() => Promise.reject(last));

      const error = await communicator.taskSend('task').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(TaskRejected);
      expect((error as TaskRejected).cause).toBe(last);
    });

    it('keeps tasks sent without a subscriber, in order, until one is added', async () => {
      const communicator = new LocalCommunicator();
      const first = communicator.taskSend('first');
      const second = communicator.taskSend('second');
      const fireAndForget = deferred<unknown>();
      await expect(communicator.taskSend('third', { noReply: true })).resolves.toBeUndefined();
      await afterMicrotasks();

      const seen: unknown[] = [];
      communicator.addTaskSubscriber((_c, task) => {
        seen.push(task);
        if (task === 'third') fireAndForget.resolve(task);
        return `done ${String(task)}`;
      });

      await expect(first).resolves.toBe('done first');
      await expect(second).resolves.toBe('done second');
      await expect(fireAndForget.promise).resolves.toBe('third');
      expect(seen).toEqual(['first', 'second', 'third']);
    });

    it('puts a task back to wait when its only subscriber is removed before delivery', async () => {
      const communicator = new LocalCommunicator();
      const removed = communicator.addTaskSubscriber(() => 'removed');
      const result = communicator.taskSend('task');
      communicator.removeTaskSubscriber(removed);
      await afterMicrotasks();

      communicator.addTaskSubscriber(() => 'added later');

      await expect(result).resolves.toBe('added later');
    });

    it('rejects tasks waiting for a subscriber with CommunicatorClosed on close', async () => {
      const communicator = new LocalCommunicator();
      const waiting = communicator.taskSend('task');
      await afterMicrotasks();

      await communicator.close();

      await expect(waiting).rejects.toBeInstanceOf(CommunicatorClosed);
    });

    it('logs the failure of a task sent with noReply', async () => {
      const logger = collectingLogger();
      const communicator = new LocalCommunicator({ logger });
      const failure = new Error('nobody is told');
      const attempted = deferred<void>();
      communicator.addTaskSubscriber(() => {
        attempted.resolve();
        throw failure;
      });

      await communicator.taskSend('task', { noReply: true });
      await attempted.promise;
      await afterMicrotasks();

      expect(logger.entries).toHaveLength(1);
      expect(logger.entries[0]?.[1]).toBeInstanceOf(RemoteException);
      expect((logger.entries[0]?.[1] as RemoteException).cause).toBe(failure);
    });
  });

  describe('broadcasts', () => {
    it('logs errors of broadcast subscribers, naming the subscriber', async () => {
      const logger = collectingLogger();
      const communicator = new LocalCommunicator({ logger });
      const thrown = new Error('thrown');
      const rejected = new Error('rejected');
      communicator.addBroadcastSubscriber(() => {
        throw thrown;
      }, 'thrower');
      communicator.addBroadcastSubscriber(() => Promise.reject(rejected), 'rejecter');

      await communicator.broadcastSend('body');
      await afterMicrotasks();

      expect(logger.entries).toEqual([
        ["Broadcast subscriber 'thrower' failed", thrown],
        ["Broadcast subscriber 'rejecter' failed", rejected],
      ]);
    });

    it('delivers a broadcast to the subscribers present when it was sent and still present', async () => {
      const communicator = new LocalCommunicator();
      const seen: string[] = [];
      communicator.addBroadcastSubscriber(() => seen.push('removed'), 'removed');
      communicator.addBroadcastSubscriber(() => seen.push('kept'), 'kept');

      const sent = communicator.broadcastSend('body');
      communicator.removeBroadcastSubscriber('removed');
      communicator.addBroadcastSubscriber(() => seen.push('late'), 'late');
      await sent;
      await afterMicrotasks();

      expect(seen).toEqual(['kept']);
    });

    it('hands a filter the sender, subject and correlation id', async () => {
      const communicator = new LocalCommunicator();
      const received = deferred<unknown[]>();
      communicator.addBroadcastSubscriber(
        new BroadcastFilter((c, ...rest) => received.resolve([c, ...rest]), { sender: '42', subject: 'state_changed.*' }),
      );

      await communicator.broadcastSend('nope', { sender: '420', subject: 'state_changed.a.b' });
      await communicator.broadcastSend('body', { sender: '42', subject: 'state_changed.a.b', correlationId: 'c' });

      await expect(received.promise).resolves.toEqual([communicator, 'body', '42', 'state_changed.a.b', 'c']);
    });
  });

  describe('close', () => {
    it('drops every subscriber', async () => {
      const communicator = new LocalCommunicator();
      let calls = 0;
      communicator.addBroadcastSubscriber(() => {
        calls += 1;
      });
      const sent = communicator.broadcastSend('before close');
      await communicator.close();
      await sent;
      await afterMicrotasks();

      expect(calls).toBe(0);
    });

    it('does not deliver an RPC sent just before close', async () => {
      const communicator = new LocalCommunicator();
      let calls = 0;
      communicator.addRpcSubscriber(() => {
        calls += 1;
      }, 'rpc');
      const reply = communicator.rpcSend('rpc', null);
      await communicator.close();

      await expect(reply).rejects.toBeInstanceOf(CommunicatorClosed);
      expect(calls).toBe(0);
    });
  });
});
