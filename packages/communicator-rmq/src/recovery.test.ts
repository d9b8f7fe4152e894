import { randomUUID } from 'node:crypto';
import { TimeoutError } from '@plumpy-ts/communicator';
import { deferred } from '@plumpy-ts/communicator/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { adminChannel, closeConnectionByName, recordingLogger, type RecordingLogger } from './__tests__/support.js';
import { connect } from './connect.js';
import { BrokerConnectionLost } from './errors.js';
import type { RmqCommunicatorOptions } from './options.js';
import type { RmqCommunicator } from './rmq-communicator.js';

const TEST_TIMEOUT_MS = 120_000;

let broker: RabbitMqBroker;
const opened: RmqCommunicator[] = [];

beforeAll(async () => {
  broker = await startRabbitMqBroker();
});

afterEach(async () => {
  if (!broker.running) await broker.start();
  for (const communicator of opened.splice(0)) await communicator.close();
});

afterAll(async () => {
  await broker.dispose();
});

function appNames(): Pick<RmqCommunicatorOptions, 'messageExchange' | 'taskExchange' | 'taskQueue'> {
  const suffix = randomUUID();
  return { messageExchange: `recovery.messages.${suffix}`, taskExchange: `recovery.tasks.${suffix}`, taskQueue: `recovery.tasks.${suffix}` };
}

async function open(options: RmqCommunicatorOptions & { logger?: RecordingLogger }): Promise<RmqCommunicator> {
  const communicator = await connect(broker.url, {
    logger: recordingLogger(),
    timeoutMs: 30_000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    ...options,
  });
  opened.push(communicator);
  return communicator;
}

async function queueDepth(queue: string): Promise<{ messageCount: number; consumerCount: number }> {
  const { connection, channel } = await adminChannel(broker.url);
  try {
    return await channel.checkQueue(queue);
  } finally {
    await connection.close();
  }
}

describe('broker restart', () => {
  it('rejects a pending RPC with BrokerConnectionLost, then works again once the broker is back', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    const received = deferred<void>();
    const never = deferred<void>();
    worker.addRpcSubscriber(() => {
      received.resolve();
      return never.promise;
    }, 'hang');
    worker.addRpcSubscriber((_c, msg) => ({ echo: msg }), 'echo');
    worker.addTaskSubscriber((_c, task) => `done ${String(task)}`);
    const broadcasts: unknown[] = [];
    const broadcastSeen = deferred<void>();
    worker.addBroadcastSubscriber((_c, body) => {
      broadcasts.push(body);
      broadcastSeen.resolve();
    });
    await worker.ready();

    const pending = client.rpcSend('hang', 'are you there?');
    pending.catch(() => undefined); // it may reject before the assertions below attach
    await received.promise;
    await broker.kill();
    await expect(pending).rejects.toBeInstanceOf(BrokerConnectionLost);
    never.resolve();

    await broker.start();
    await worker.ready();
    await client.ready();
    await expect(client.rpcSend('echo', 'again')).resolves.toEqual({ echo: 'again' });
    await expect(client.taskSend('after restart')).resolves.toBe('done after restart');
    await client.broadcastSend('back');
    await broadcastSeen.promise;
    expect(broadcasts).toEqual(['back']);
  }, TEST_TIMEOUT_MS);

  it('fails an RPC with TimeoutError while the broker stays away longer than the time limit', async () => {
    const names = appNames();
    const client = await open({ ...names, timeoutMs: 2_000 });
    await broker.stop();
    await expect(client.rpcSend('anyone', 1)).rejects.toBeInstanceOf(TimeoutError);
    await expect(client.broadcastSend('anyone')).rejects.toBeInstanceOf(TimeoutError);
    await broker.start();
  }, TEST_TIMEOUT_MS);

  it('delivers a task sent while the broker is down once it is back', async () => {
    const names = appNames();
    const client = await open(names);
    await broker.stop();
    const result = client.taskSend('sent during the outage');
    await broker.start();
    const worker = await open(names);
    worker.addTaskSubscriber((_c, task) => `done: ${String(task)}`);
    await expect(result).resolves.toBe('done: sent during the outage');
  }, TEST_TIMEOUT_MS);

  it('answers a task that was running when the broker restarted exactly once, and does not run it again', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    const started = deferred<void>();
    const release = deferred<string>();
    const runs: unknown[] = [];
    worker.addTaskSubscriber((_c, task) => {
      runs.push(task);
      started.resolve();
      return release.promise;
    });

    const result = client.taskSend('long job');
    await started.promise;
    await broker.kill();
    await broker.start();
    await worker.ready();
    await client.ready();
    release.resolve('finished after the restart');

    await expect(result).resolves.toBe('finished after the restart');
    expect(runs).toEqual(['long job']);
    // The task was acknowledged: it does not come back.
    await expect(client.taskSend('next')).resolves.toBe('finished after the restart');
    expect(runs).toEqual(['long job', 'next']);
    expect((await queueDepth(names.taskQueue ?? '')).messageCount).toBe(0);
  }, TEST_TIMEOUT_MS);
});

describe('a worker connection that dies', () => {
  it('gives its unacknowledged task to another worker', async () => {
    const names = appNames();
    const connectionName = `dying-worker-${randomUUID()}`;
    const dying = await open({ ...names, connectionName, reconnect: false });
    const taken = deferred<void>();
    dying.addTaskSubscriber(() => {
      taken.resolve();
      return new Promise(() => undefined); // this worker never finishes: it dies first
    });
    const client = await open(names);

    const result = client.taskSend('important');
    await taken.promise;
    await closeConnectionByName(broker, connectionName);
    const survivor = await open(names);
    survivor.addTaskSubscriber((_c, task) => `rescued ${String(task)}`);

    await expect(result).resolves.toBe('rescued important');
    expect(dying.isClosed()).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('reconnects, and settles the redelivered task with the run still in progress', async () => {
    const names = appNames();
    const connectionName = `flaky-worker-${randomUUID()}`;
    const logger = recordingLogger();
    const worker = await open({ ...names, connectionName, logger });
    const started = deferred<void>();
    const release = deferred<string>();
    let runs = 0;
    worker.addTaskSubscriber(() => {
      runs += 1;
      started.resolve();
      return release.promise;
    });
    const client = await open(names);

    const result = client.taskSend('job');
    await started.promise;
    await closeConnectionByName(broker, connectionName);
    await logger.until((e) => /Reconnected/.test(e.message));
    await worker.ready();
    release.resolve('done once');

    await expect(result).resolves.toBe('done once');
    expect(runs).toBe(1);
  }, TEST_TIMEOUT_MS);
});
