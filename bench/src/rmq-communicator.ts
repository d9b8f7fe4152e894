/**
 * Micro-benchmarks of the RabbitMQ communicator alone (no processes): round
 * trips of `taskSend`, `rpcSend` and `broadcastSend` between two communicators
 * in this OS process, over a private broker on loopback; RPC subscribing and
 * unsubscribing; and, for comparison, a raw amqplib RPC round trip.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { connect, type RmqCommunicator } from '@plumpy-ts/communicator-rmq';
import { startRabbitMqBroker } from '@plumpy-ts/testing';
import { measurement, timeSequential, type Measurement } from './measurement.js';

/** A raw amqplib request/reply round trip (no confirms, auto-ack), the floor for the broker on this machine. */
async function rawRoundTrip(url: string, n: number): Promise<Measurement> {
  const connection = await amqp.connect(url, { noDelay: true });
  try {
    const channel = await connection.createChannel();
    const { queue: requests } = await channel.assertQueue('', { exclusive: true });
    const { queue: replies } = await channel.assertQueue('', { exclusive: true });
    await channel.consume(requests, (message) => {
      if (message === null) return;
      channel.sendToQueue(String(message.properties.replyTo), message.content, { correlationId: message.properties.correlationId as string });
    }, { noAck: true });
    const waiting = new Map<string, () => void>();
    await channel.consume(replies, (message) => {
      if (message === null) return;
      const done = waiting.get(String(message.properties.correlationId));
      waiting.delete(String(message.properties.correlationId));
      done?.();
    }, { noAck: true });
    return await timeSequential('rmq_communicator.raw_amqplib_rpc', n, () =>
      new Promise<void>((resolve) => {
        const id = randomUUID();
        waiting.set(id, resolve);
        channel.sendToQueue(requests, Buffer.from('{"intent":"status"}'), { correlationId: id, replyTo: replies });
      }),
    );
  } finally {
    await connection.close();
  }
}

/**
 * Runs `rmq_communicator.task` / `.task_noreply` / `.rpc` / `.rpc_subscribe` /
 * `.broadcast` / `.broadcast_burst` / `.rpc_subscribe_burst` and the raw
 * amqplib floor.
 */
export async function rmqCommunicatorWorkload(): Promise<Measurement[]> {
  const broker = await startRabbitMqBroker();
  const suffix = randomUUID();
  const names = {
    messageExchange: `bench.messages.${suffix}`,
    taskExchange: `bench.tasks.${suffix}`,
    taskQueue: `bench.tasks.${suffix}`,
  };
  const results: Measurement[] = [];
  let worker: RmqCommunicator | undefined;
  let client: RmqCommunicator | undefined;
  try {
    results.push(await rawRoundTrip(broker.url, 2000));
    worker = await connect(broker.url, { ...names, prefetch: 64 });
    client = await connect(broker.url, names);
    const setup = { broker: 'RabbitMQ on loopback (private, @plumpy-ts/testing)', communicators: 'two, same OS process' };
    worker.addTaskSubscriber((_c, task) => task);
    worker.addRpcSubscriber((_c, msg) => msg, 'echo');
    let broadcasts = 0;
    let onBroadcast: (() => void) | undefined;
    worker.addBroadcastSubscriber(() => {
      broadcasts += 1;
      onBroadcast?.();
    });
    await worker.ready();
    const sender = client;

    results.push(await timeSequential('rmq_communicator.task', 2000, () => sender.taskSend({ n: 1 }), setup));
    results.push(await timeSequential('rmq_communicator.task_noreply', 2000, () => sender.taskSend({ n: 1 }, { noReply: true }), setup));
    results.push(await timeSequential('rmq_communicator.rpc', 2000, () => sender.rpcSend('echo', { intent: 'status' }), setup));

    // A broadcast until it has reached the other communicator's subscriber.
    results.push(
      await timeSequential(
        'rmq_communicator.broadcast',
        2000,
        () =>
          new Promise<void>((resolve, reject) => {
            const target = broadcasts + 1;
            onBroadcast = () => {
              if (broadcasts >= target) resolve();
            };
            sender.broadcastSend(null, { sender: '1', subject: 'state_changed.running.finished' }).catch(reject);
          }),
        setup,
      ),
    );

    // 20000 broadcasts sent at once, until all have arrived.
    const burst = 20_000;
    const target = broadcasts + burst;
    const arrived = new Promise<void>((resolve) => {
      onBroadcast = () => {
        if (broadcasts >= target) resolve();
      };
    });
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: burst }, () => sender.broadcastSend(null, { sender: '1', subject: 'state_changed.a.b' })));
    await arrived;
    results.push(measurement('rmq_communicator.broadcast_burst', burst, process.hrtime.bigint() - start, setup));
    onBroadcast = undefined;

    // Subscribe under a new identifier, wait until the broker routes to it, then an RPC to it, then unsubscribe.
    const subscriber = worker;
    results.push(
      await timeSequential(
        'rmq_communicator.rpc_subscribe',
        500,
        async () => {
          const id = randomUUID();
          subscriber.addRpcSubscriber((_c, msg) => msg, id);
          await subscriber.ready();
          await sender.rpcSend(id, 1);
          subscriber.removeRpcSubscriber(id);
        },
        setup,
      ),
    );

    // 2000 new RPC subscriptions at once until the broker routes to all of them, then removed.
    const many = 2000;
    const ids = Array.from({ length: many }, () => randomUUID());
    const subscribeStart = process.hrtime.bigint();
    for (const id of ids) subscriber.addRpcSubscriber((_c, msg) => msg, id);
    await subscriber.ready();
    results.push(measurement('rmq_communicator.rpc_subscribe_burst', many, process.hrtime.bigint() - subscribeStart, setup));
    for (const id of ids) subscriber.removeRpcSubscriber(id);
    await subscriber.ready();
  } finally {
    await client?.close();
    await worker?.close();
    await broker.dispose();
  }
  return results;
}
