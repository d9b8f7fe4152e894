import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel } from 'amqplib';
import {
  CommunicatorClosed,
  RemoteException,
  TaskRejected,
  TimeoutError,
  UnroutableError,
} from '@plumpy-ts/communicator';
import { deferred } from '@plumpy-ts/communicator/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { adminChannel, recordingLogger } from './__tests__/support.js';
import { connect } from './connect.js';
import { BrokerConnectionLost } from './errors.js';
import type { RmqCommunicatorOptions } from './options.js';
import type { RmqCommunicator } from './rmq-communicator.js';
import { CONTENT_TYPE, VERSION_HEADER } from './wire-format.js';

let broker: RabbitMqBroker;
let admin: { connection: ChannelModel; channel: Channel };
const opened: RmqCommunicator[] = [];

beforeAll(async () => {
  broker = await startRabbitMqBroker({ tls: true });
  admin = await adminChannel(broker.url);
});

afterEach(async () => {
  for (const communicator of opened.splice(0)) await communicator.close();
});

afterAll(async () => {
  await admin.connection.close();
  await broker.dispose();
});

/** Names of an application of its own on the shared broker. */
function appNames(): Pick<RmqCommunicatorOptions, 'messageExchange' | 'taskExchange' | 'taskQueue'> {
  const suffix = randomUUID();
  return { messageExchange: `test.messages.${suffix}`, taskExchange: `test.tasks.${suffix}`, taskQueue: `test.tasks.${suffix}` };
}

async function open(options: RmqCommunicatorOptions, url = broker.url): Promise<RmqCommunicator> {
  const communicator = await connect(url, { logger: recordingLogger(), timeoutMs: 10_000, ...options });
  opened.push(communicator);
  return communicator;
}

describe('connecting', () => {
  it('takes the credentials from the URL and refuses wrong ones', async () => {
    const communicator = await open(appNames());
    expect(communicator.connected).toBe(true);
    const wrong = broker.url.replace('guest:guest', 'guest:wrong');
    await expect(connect(wrong, { ...appNames(), timeoutMs: 10_000 })).rejects.toThrow();
  });

  it('refuses a URL that is not amqp:// or amqps://', async () => {
    await expect(connect('http://127.0.0.1:1')).rejects.toThrow(TypeError);
  });

  it('connects over TLS (amqps) with the given CA', async () => {
    const tls = broker.tls;
    if (tls === undefined) throw new Error('the broker was started with TLS');
    const names = appNames();
    const communicator = await open({ ...names, tls: { ca: tls.ca } }, tls.url);
    communicator.addRpcSubscriber((_c, msg) => ({ over: 'tls', msg }), 'tls-echo');
    await expect(communicator.rpcSend('tls-echo', 1)).resolves.toEqual({ over: 'tls', msg: 1 });
  });

  it('rejects options out of range', async () => {
    await expect(connect(broker.url, { prefetch: 0 })).rejects.toThrow(RangeError);
    await expect(connect(broker.url, { timeoutMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe('between two connections', () => {
  it('answers an RPC, a task and a broadcast sent by another communicator', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    worker.addRpcSubscriber((_c, msg) => `rpc:${String(msg)}`, 'worker-1');
    worker.addTaskSubscriber((_c, task) => `task:${String(task)}`);
    const broadcast = deferred<unknown[]>();
    worker.addBroadcastSubscriber((_c, ...args) => broadcast.resolve(args));
    await worker.ready();

    await expect(client.rpcSend('worker-1', 'a')).resolves.toBe('rpc:a');
    await expect(client.taskSend('b')).resolves.toBe('task:b');
    await client.broadcastSend({ c: 3 }, { sender: 'client', subject: 'news', correlationId: 'x' });
    await expect(broadcast.promise).resolves.toEqual([{ c: 3 }, 'client', 'news', 'x']);
  });

  it('carries non-JSON values intact both ways', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    worker.addRpcSubscriber((_c, msg) => ({ received: msg, at: new Date(0), big: 2n ** 70n }), 'rich');
    await worker.ready();
    const message = {
      when: new Date('2024-05-06T07:08:09.010Z'),
      lookup: new Map<unknown, unknown>([['a', 1], [2, new Set(['x'])]]),
      missing: undefined,
      pattern: /ab+c/gi,
      nan: NaN,
      nested: [undefined, -0, Infinity],
    };
    const reply = (await client.rpcSend('rich', message)) as Record<string, unknown>;
    expect(reply.received).toEqual(message);
    expect(reply.at).toEqual(new Date(0));
    expect(reply.big).toBe(2n ** 70n);
  });

  it("gives the sender a RemoteException with the remote error's name, message and stack", async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    worker.addRpcSubscriber(() => {
      throw new RangeError('out of range over there');
    }, 'failing');
    worker.addTaskSubscriber(() => Promise.reject(new TypeError('bad task')));
    await worker.ready();

    const rpcError = await client.rpcSend('failing', null).catch((e: unknown) => e);
    expect(rpcError).toBeInstanceOf(RemoteException);
    expect((rpcError as RemoteException).message).toBe('out of range over there');
    expect((rpcError as RemoteException).remoteName).toBe('RangeError');
    expect((rpcError as RemoteException).remoteStack).toContain('RangeError: out of range over there');

    const taskError = await client.taskSend('t').catch((e: unknown) => e);
    expect(taskError).toBeInstanceOf(RemoteException);
    expect((taskError as RemoteException).remoteName).toBe('TypeError');
  });

  it('gives a task rejected by every subscriber of one worker to another worker', async () => {
    const names = appNames();
    const picky = await open({ ...names, requeueDelayMs: 20 });
    const rejected = deferred<void>();
    picky.addTaskSubscriber(() => {
      rejected.resolve();
      throw new TaskRejected('not for me');
    });
    await picky.ready();
    const client = await open(names);

    const result = client.taskSend('job');
    await rejected.promise;
    const willing = await open(names);
    willing.addTaskSubscriber((_c, task) => `done ${String(task)} by the willing worker`);

    await expect(result).resolves.toBe('done job by the willing worker');
  });

  it('keeps a task with no worker in the durable queue until a worker starts', async () => {
    const names = appNames();
    const client = await open(names);
    await client.taskSend('first', { noReply: true });
    const result = client.taskSend('second');
    // The noReply send resolved on the broker's confirmation: the task is in the queue, unconsumed.
    const queued = await admin.channel.checkQueue(names.taskQueue ?? '');
    expect(queued.messageCount).toBeGreaterThanOrEqual(1);
    expect(queued.consumerCount).toBe(0);

    const seen: unknown[] = [];
    const worker = await open(names);
    worker.addTaskSubscriber((_c, task) => {
      seen.push(task);
      return `done ${String(task)}`;
    });

    await expect(result).resolves.toBe('done second');
    expect(seen).toEqual(['first', 'second']);
  });

  it('stops taking tasks when its last task subscriber is removed', async () => {
    const names = appNames();
    const leaving = await open(names);
    const id = leaving.addTaskSubscriber(() => 'leaving');
    await leaving.ready();
    leaving.removeTaskSubscriber(id);
    await leaving.ready();
    const queue = await admin.channel.checkQueue(names.taskQueue ?? '');
    expect(queue.consumerCount).toBe(0);

    const client = await open(names);
    const result = client.taskSend('job');
    const staying = await open(names);
    staying.addTaskSubscriber(() => 'staying');
    await expect(result).resolves.toBe('staying');
  });
});

describe('time limits and failures', () => {
  it('rejects an RPC whose subscriber never answers with TimeoutError', async () => {
    const names = appNames();
    const never = deferred<void>();
    const worker = await open(names);
    worker.addRpcSubscriber(() => never.promise, 'silent');
    await worker.ready();
    const client = await open({ ...names, timeoutMs: 2_000 });
    try {
      await expect(client.rpcSend('silent', 'hello?')).rejects.toBeInstanceOf(TimeoutError);
    } finally {
      never.resolve();
    }
  });

  it('rejects an RPC to nobody with UnroutableError', async () => {
    const client = await open(appNames());
    await expect(client.rpcSend('nobody-here', 1)).rejects.toBeInstanceOf(UnroutableError);
  });

  it('rejects a pending RPC when the channel it went out on fails, reconnects and declares the exchange again', async () => {
    const names = appNames();
    const never = deferred<void>();
    const worker = await open(names);
    worker.addRpcSubscriber(() => never.promise, 'silent');
    worker.addRpcSubscriber((_c, msg) => msg, 'echo');
    await worker.ready();
    const logger = recordingLogger();
    const client = await open({ ...names, logger });
    try {
      const pending = client.rpcSend('silent', 'hello?');
      const settled = pending.catch((error: unknown) => error);
      // Publishing to an exchange that is gone makes the broker close the channel (404).
      await admin.channel.deleteExchange(names.messageExchange ?? '');
      await expect(client.broadcastSend('into the void')).resolves.toBe(true);
      expect(await settled).toBeInstanceOf(BrokerConnectionLost);
      await logger.until((entry) => /sender channel closed; reconnecting/.test(entry.message));
      await expect.poll(() => client.connected, { timeout: 10_000 }).toBe(true);
      // The worker's bindings went with the exchange; a new worker binds again.
      const again = await open(names);
      again.addRpcSubscriber((_c, msg) => ({ again: msg }), 'echo-again');
      await again.ready();
      await expect(client.rpcSend('echo-again', 1)).resolves.toEqual({ again: 1 });
    } finally {
      never.resolve();
    }
  });

  it('rejects a task with taskTimeoutMs when no worker takes it in time', async () => {
    const client = await open({ ...appNames(), taskTimeoutMs: 300 });
    await expect(client.taskSend('anyone?')).rejects.toBeInstanceOf(TimeoutError);
  });

  it('refuses to send a value it cannot encode, and reports a reply it cannot encode', async () => {
    const names = appNames();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const communicator = await open(names);
    communicator.addRpcSubscriber(() => cyclic, 'cyclic');
    await expect(communicator.rpcSend('cyclic', cyclic)).rejects.toThrow(TypeError);
    await expect(communicator.taskSend(cyclic)).rejects.toThrow(TypeError);
    const error = await communicator.rpcSend('cyclic', 'fine').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteException);
    expect((error as Error).message).toMatch(/could not be encoded/);
  });

  it('logs the failure of a task sent without reply', async () => {
    const names = appNames();
    const logger = recordingLogger();
    const worker = await open({ ...names, logger });
    worker.addTaskSubscriber(() => {
      throw new Error('nobody is told but the log');
    });
    await worker.taskSend('x', { noReply: true });
    const entry = await logger.until((e) => e.level === 'error');
    expect(entry.message).toMatch(/sent without reply\) failed/);
    expect((entry.error as Error).message).toBe('nobody is told but the log');
  });

  it('rejects sends after close with CommunicatorClosed', async () => {
    const communicator = await open(appNames());
    await communicator.close();
    await expect(communicator.rpcSend('x', 1)).rejects.toBeInstanceOf(CommunicatorClosed);
    await expect(communicator.ready()).rejects.toBeInstanceOf(CommunicatorClosed);
  });
});

describe('malformed and foreign messages', () => {
  const garbage: Array<{ what: string; content: Buffer; properties: Record<string, unknown> }> = [
    { what: 'a foreign content type', content: Buffer.from('{"a":1}'), properties: { contentType: 'application/json' } },
    {
      what: 'an unknown format version',
      content: Buffer.from('1'),
      properties: { contentType: CONTENT_TYPE, headers: { [VERSION_HEADER]: 99 }, type: 'task' },
    },
    {
      what: 'a body that is not JSON',
      content: Buffer.from('{not json'),
      properties: { contentType: CONTENT_TYPE, headers: { [VERSION_HEADER]: 1 }, type: 'task' },
    },
  ];

  it('rejects them on the task queue, dead-letters them, logs them, and keeps working', async () => {
    const names = appNames();
    const deadLetterExchange = `test.dlx.${randomUUID()}`;
    await admin.channel.assertExchange(deadLetterExchange, 'fanout', { durable: false, autoDelete: true });
    const { queue: deadLetters } = await admin.channel.assertQueue('', { exclusive: true });
    await admin.channel.bindQueue(deadLetters, deadLetterExchange, '');
    const logger = recordingLogger();
    const worker = await open({ ...names, deadLetterExchange, logger });
    const tasks: unknown[] = [];
    worker.addTaskSubscriber((_c, task) => {
      tasks.push(task);
      return 'ok';
    });
    await worker.ready();

    for (const { content, properties } of garbage) admin.channel.sendToQueue(names.taskQueue ?? '', content, properties);
    await expect(worker.taskSend('a real task')).resolves.toBe('ok');

    const dead: string[] = [];
    const allDead = deferred<void>();
    await admin.channel.consume(
      deadLetters,
      (message) => {
        if (message === null) return;
        dead.push(message.content.toString());
        if (dead.length === garbage.length) allDead.resolve();
      },
      { noAck: true },
    );
    await allDead.promise;
    expect(dead.sort()).toEqual(garbage.map((g) => g.content.toString()).sort());
    expect(tasks).toEqual(['a real task']);
    await logger.until((e) => e.level === 'error' && /not JSON/.test(e.message));
    expect(logger.entries.filter((e) => e.level === 'error' && /Rejected a message/.test(e.message))).toHaveLength(3);
  });

  it('rejects them on RPC, broadcast and reply queues and keeps working', async () => {
    const names = appNames();
    const logger = recordingLogger();
    const communicator = await open({ ...names, logger });
    communicator.addRpcSubscriber((_c, msg) => msg, 'echo');
    const broadcasts: unknown[] = [];
    const broadcastSeen = deferred<void>();
    communicator.addBroadcastSubscriber((_c, body) => {
      broadcasts.push(body);
      broadcastSeen.resolve();
    });
    await communicator.ready();

    const foreign = { contentType: 'text/plain' };
    admin.channel.publish(names.messageExchange ?? '', 'rpc.echo', Buffer.from('hi'), foreign);
    admin.channel.publish(names.messageExchange ?? '', 'broadcast', Buffer.from('hi'), foreign);
    admin.channel.sendToQueue(`${names.messageExchange ?? ''}.reply.${communicator.id}`, Buffer.from('hi'), foreign);
    // An RPC message without a reply-to queue is malformed too.
    admin.channel.publish(names.messageExchange ?? '', 'rpc.echo', Buffer.from('1'), {
      contentType: CONTENT_TYPE,
      headers: { [VERSION_HEADER]: 1 },
      type: 'rpc',
    });

    await logger.until(() => logger.entries.filter((e) => /Rejected a message/.test(e.message)).length === 4);
    await expect(communicator.rpcSend('echo', 'still here')).resolves.toBe('still here');
    await communicator.broadcastSend('still listening');
    await broadcastSeen.promise;
    expect(broadcasts).toEqual(['still listening']);
  });
});

describe('broadcast queue binding', () => {
  it('binds the broadcast queue only once a broadcast subscriber outlives the turn it was added in', async () => {
    const names = appNames();
    const exchange = names.messageExchange ?? '';
    const communicator = await open(names);
    const returned: string[] = [];
    const onReturn = (message: { content: Buffer }): void => {
      returned.push(message.content.toString());
    };
    admin.channel.on('return', onReturn);
    try {
      // A subscriber added and removed within one turn (a process that ends at once) binds nothing.
      const id = communicator.addBroadcastSubscriber(() => undefined);
      communicator.removeBroadcastSubscriber(id);
      await communicator.ready();
      admin.channel.publish(exchange, 'broadcast', Buffer.from('nobody'), { mandatory: true });
      await expect.poll(() => returned).toEqual(['nobody']);

      const received = deferred<unknown>();
      communicator.addBroadcastSubscriber((_c, body) => received.resolve(body));
      await communicator.ready();
      await communicator.broadcastSend('hello');
      await expect(received.promise).resolves.toBe('hello');
    } finally {
      admin.channel.off('return', onReturn);
    }
  });

  it('delivers its own broadcast sent in the turn its subscriber was added, without ready()', async () => {
    const communicator = await open(appNames());
    const received = deferred<unknown[]>();
    communicator.addBroadcastSubscriber((_c, body, sender, subject) => received.resolve([body, sender, subject]));
    await communicator.broadcastSend({ n: 1 }, { sender: 'me', subject: 'now' });
    await expect(received.promise).resolves.toEqual([{ n: 1 }, 'me', 'now']);
  });

  it('keeps the order of broadcasts of which some waited for the bind', async () => {
    const names = appNames();
    const sender = await open(names);
    const listener = await open(names);
    const bodies: unknown[] = [];
    const all = deferred<void>();
    listener.addBroadcastSubscriber((_c, body) => {
      bodies.push(body);
      if (bodies.length === 4) all.resolve();
    });
    await listener.ready();

    const id = sender.addBroadcastSubscriber(() => undefined);
    const sends = [sender.broadcastSend(1), sender.broadcastSend(2)];
    sender.removeBroadcastSubscriber(id);
    sends.push(sender.broadcastSend(3));
    await expect(Promise.all(sends)).resolves.toEqual([true, true, true]);
    await sender.broadcastSend(4);
    await all.promise;
    expect(bodies).toEqual([1, 2, 3, 4]);
  });
});

describe('broadcast batches', () => {
  /** An exclusive queue of the admin connection bound to `keys` on `exchange`, and the types of the messages it got, in order. */
  async function tap(exchange: string, keys: string[]): Promise<{ types: string[] }> {
    const { queue } = await admin.channel.assertQueue('', { exclusive: true });
    for (const key of keys) await admin.channel.bindQueue(queue, exchange, key);
    const types: string[] = [];
    await admin.channel.consume(queue, (message) => message && types.push(String(message.properties.type)), { noAck: true });
    return { types };
  }

  it('sends broadcasts sent one after another as one message, and each reaches the subscribers on its own, in order', async () => {
    const names = appNames();
    const sender = await open(names);
    const listener = await open(names);
    const seen: unknown[] = [];
    const all = deferred<void>();
    listener.addBroadcastSubscriber((_c, body, from, subject, correlationId) => {
      seen.push([body, from, subject, correlationId]);
      if (seen.length === 4) all.resolve();
    });
    await listener.ready();
    const wire = await tap(names.messageExchange ?? '', ['broadcast']);

    const sends = [
      sender.broadcastSend(null, { sender: 'p1', subject: 'state_changed.null.created' }),
      sender.broadcastSend(null, { sender: 'p1', subject: 'state_changed.created.running' }),
      sender.broadcastSend({ at: new Date(3) }, { sender: 'p1', subject: 'state_changed.running.finished', correlationId: 'c' }),
    ];
    await expect(Promise.all(sends)).resolves.toEqual([true, true, true]);
    await sender.broadcastSend('alone');
    await all.promise;
    expect(seen).toEqual([
      [null, 'p1', 'state_changed.null.created', undefined],
      [null, 'p1', 'state_changed.created.running', undefined],
      [{ at: new Date(3) }, 'p1', 'state_changed.running.finished', 'c'],
      ['alone', undefined, undefined, undefined],
    ]);
    await expect.poll(() => wire.types).toEqual(['broadcasts', 'broadcast']);
  });

  it('publishes what was broadcast before an RPC or a task before that RPC or task', async () => {
    const names = appNames();
    const sender = await open(names);
    const worker = await open(names);
    worker.addRpcSubscriber((_c, msg) => msg, 'echo');
    worker.addTaskSubscriber((_c, task) => task);
    await worker.ready();
    const messages = await tap(names.messageExchange ?? '', ['broadcast', 'rpc.echo']);
    const tasks = await tap(names.taskExchange ?? '', [names.taskQueue ?? '']);

    void sender.broadcastSend(1);
    void sender.broadcastSend(2);
    const rpc = sender.rpcSend('echo', 'x');
    void sender.broadcastSend(3);
    await expect(rpc).resolves.toBe('x');
    await expect.poll(() => messages.types).toEqual(['broadcasts', 'rpc', 'broadcast']);

    void sender.broadcastSend(4);
    await expect(sender.taskSend('t')).resolves.toBe('t');
    await expect.poll(() => messages.types).toHaveLength(4);
    expect(messages.types[3]).toBe('broadcast');
    expect(tasks.types).toEqual(['task']);
  });

  it('still sends a broadcast sent just before closing', async () => {
    const names = appNames();
    const sender = await open(names);
    const listener = await open(names);
    const received = deferred<unknown>();
    listener.addBroadcastSubscriber((_c, body) => received.resolve(body));
    await listener.ready();
    const sent = sender.broadcastSend('last words');
    await sender.close();
    await expect(sent).resolves.toBe(true);
    await expect(received.promise).resolves.toBe('last words');
    await expect(sender.broadcastSend('too late')).rejects.toThrow(CommunicatorClosed);
  });
});
