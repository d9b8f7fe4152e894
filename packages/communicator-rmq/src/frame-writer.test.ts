import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { installFrameWriter } from './frame-writer.js';

let broker: RabbitMqBroker;
const connections: ChannelModel[] = [];

beforeAll(async () => {
  broker = await startRabbitMqBroker();
});

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close().catch(() => undefined);
});

afterAll(async () => {
  await broker.dispose();
});

async function connectWithWriter(): Promise<{ connection: ChannelModel; installed: boolean }> {
  const connection = await amqp.connect(broker.url, { noDelay: true });
  connections.push(connection);
  return { connection, installed: installFrameWriter(connection) };
}

/** The socket under an amqplib connection. */
function socketOf(connection: ChannelModel): Socket {
  return (connection as unknown as { connection: { stream: Socket } }).connection.stream;
}

/** Counts the socket's writes to the operating system (one `_write` or `_writev` each). */
function countWrites(socket: Socket): { readonly count: number } {
  const counter = { count: 0 };
  const target = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  for (const method of ['_write', '_writev'] as const) {
    const original = target[method].bind(socket);
    target[method] = (...args: unknown[]): void => {
      counter.count += 1;
      original(...args);
    };
  }
  return counter;
}

/** Consumes `count` messages from `queue` and returns their bodies, in arrival order. */
async function receiveBodies(channel: Channel, queue: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  await new Promise<void>((resolve, reject) => {
    channel
      .consume(
        queue,
        (message) => {
          if (message === null) return;
          bodies.push(message.content.toString());
          if (bodies.length === count) resolve();
        },
        { noAck: true },
      )
      .catch(reject);
  });
  return bodies;
}

describe('installFrameWriter', () => {
  it('recognises the internals of the amqplib version this package depends on', async () => {
    const { installed } = await connectWithWriter();
    expect(installed).toBe(true);
  });

  it('changes nothing and says so when the internals are not as expected', () => {
    const unknown = { connection: { channels: [] } } as unknown as ChannelModel;
    expect(installFrameWriter(unknown)).toBe(false);
    expect(installFrameWriter({} as ChannelModel)).toBe(false);
  });

  it('delivers what several channels publish in one turn, in order per channel, in one write', async () => {
    const { connection } = await connectWithWriter();
    const [first, second, consumer] = await Promise.all([
      connection.createChannel(),
      connection.createConfirmChannel(),
      connection.createChannel(),
    ]);
    const queue = `frame-writer.${randomUUID()}`;
    await consumer.assertQueue(queue, { exclusive: true });
    // Let the frames of the set-up go out before counting.
    await new Promise((resolve) => setImmediate(resolve));
    const writes = countWrites(socketOf(connection));
    for (let i = 0; i < 20; i += 1) {
      first.sendToQueue(queue, Buffer.from(`a${i}`));
      second.sendToQueue(queue, Buffer.from(`b${i}`));
    }
    await second.waitForConfirms();
    expect(writes.count).toBe(1);
    const bodies = await receiveBodies(consumer, queue, 40);
    expect(bodies.filter((body) => body.startsWith('a'))).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(bodies.filter((body) => body.startsWith('b'))).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));
  });

  it('reports back-pressure past the high-water mark and sends drain once the frames are out', async () => {
    const { connection } = await connectWithWriter();
    const channel: ConfirmChannel = await connection.createConfirmChannel();
    const queue = `frame-writer.${randomUUID()}`;
    await channel.assertQueue(queue, { exclusive: true });
    const drain = new Promise<void>((resolve) => channel.once('drain', () => resolve()));
    const accepted: boolean[] = [];
    for (let i = 0; i < 1500; i += 1) accepted.push(channel.sendToQueue(queue, Buffer.from(String(i))));
    expect(accepted.slice(0, 1023).every(Boolean)).toBe(true);
    expect(accepted.slice(1024).some((ok) => !ok)).toBe(true);
    await drain;
    await channel.waitForConfirms();
    const { messageCount } = await channel.checkQueue(queue);
    expect(messageCount).toBe(1500);
  });

  it('writes what the channels sent before closing the connection ahead of the close', async () => {
    const { connection } = await connectWithWriter();
    connections.splice(connections.indexOf(connection), 1); // closed here
    const channel = await connection.createChannel();
    const queue = `frame-writer.${randomUUID()}`;
    const admin = await amqp.connect(broker.url);
    connections.push(admin);
    const adminChannel = await admin.createChannel();
    await adminChannel.assertQueue(queue, { autoDelete: false });
    for (let i = 0; i < 5; i += 1) channel.sendToQueue(queue, Buffer.from(String(i)));
    await connection.close();
    const { messageCount } = await adminChannel.checkQueue(queue);
    await adminChannel.deleteQueue(queue);
    expect(messageCount).toBe(5);
  });

  it('drops the frames of a connection that is gone, without writing or throwing', async () => {
    const { connection } = await connectWithWriter();
    connections.splice(connections.indexOf(connection), 1); // gone: nothing to close
    const channel = await connection.createChannel();
    connection.on('error', () => undefined);
    channel.on('error', () => undefined);
    const closed = new Promise((resolve) => connection.once('close', resolve));
    const socket = socketOf(connection);
    const writes = countWrites(socket);
    channel.sendToQueue(`frame-writer.${randomUUID()}`, Buffer.from('lost'));
    socket.destroy(new Error('test: the network is gone'));
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.count).toBe(0);
  });
});
