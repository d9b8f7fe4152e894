import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { adminChannel } from './__tests__/support.js';
import { RpcBindings, type RpcBindingChannels } from './rpc-bindings.js';
import { rpcRoutingKey } from './topology.js';

let broker: RabbitMqBroker;
let admin: { connection: ChannelModel; channel: Channel };

beforeAll(async () => {
  broker = await startRabbitMqBroker();
  admin = await adminChannel(broker.url);
});

afterAll(async () => {
  await admin.connection.close();
  await broker.dispose();
});

/** Only the public amqplib API: what RpcBindings falls back to without amqplib's frame sender. */
function publicApiOnly(channel: Channel): Channel {
  return {
    bindQueue: channel.bindQueue.bind(channel),
    unbindQueue: channel.unbindQueue.bind(channel),
    checkQueue: channel.checkQueue.bind(channel),
  } as unknown as Channel;
}

/** The identifiers among `candidates` whose messages reach `queue` (published mandatory, then counted). */
async function routed(exchange: string, queue: string, candidates: string[]): Promise<string[]> {
  const { channel } = admin;
  await channel.purgeQueue(queue);
  const reached: string[] = [];
  for (const identifier of candidates) {
    channel.publish(exchange, rpcRoutingKey(identifier), Buffer.from(identifier));
    const { messageCount } = await channel.checkQueue(queue);
    if (messageCount > reached.length) reached.push(identifier);
  }
  return reached;
}

describe.each([
  ['pipelined nowait binds', false],
  ['the public amqplib API', true],
])('RpcBindings with %s', (_name, fallback) => {
  it('binds what is wanted, unbinds what is not, and binds again what is wanted again', async () => {
    const connection = admin.connection;
    const bind = await connection.createChannel();
    const unbind = await connection.createChannel();
    const exchange = `bindings.${randomUUID()}`;
    await admin.channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    const { queue } = await admin.channel.assertQueue('', { exclusive: true });
    const channels: RpcBindingChannels = fallback
      ? { bind: publicApiOnly(bind), unbind: publicApiOnly(unbind) }
      : { bind, unbind };
    const wanted = new Set<string>();
    const failures: unknown[] = [];
    const bindings = new RpcBindings(channels, queue, exchange, (id) => wanted.has(id), (error) => failures.push(error));
    const ids = Array.from({ length: 30 }, (_, i) => `id-${i}.*#%`);

    for (const id of ids) {
      wanted.add(id);
      bindings.sync(id);
    }
    await bindings.settled();
    expect(ids.every((id) => bindings.isLive(id))).toBe(true);
    expect(await routed(exchange, queue, [...ids, 'nobody'])).toEqual(ids);

    const dropped = ids.slice(0, 15);
    for (const id of dropped) {
      wanted.delete(id);
      bindings.sync(id);
    }
    // Two of them are wanted again while their unbind is under way.
    const back = dropped.slice(0, 2);
    for (const id of back) {
      wanted.add(id);
      bindings.sync(id);
    }
    await bindings.settled();
    // settled() waits for binds, not for unbinds: wait for those through the unbind channel.
    await unbind.checkQueue(queue);
    const expected = [...back, ...ids.slice(15)];
    expect(await routed(exchange, queue, ids)).toEqual(ids.filter((id) => expected.includes(id)));
    expect(failures).toEqual([]);
    await bind.close();
    await unbind.close();
  });
});
