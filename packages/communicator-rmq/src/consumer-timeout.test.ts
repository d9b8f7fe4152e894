import { randomUUID } from 'node:crypto';
import { deferred } from '@plumpy-ts/communicator/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { recordingLogger } from './__tests__/support.js';
import { connect } from './connect.js';

let broker: RabbitMqBroker;

beforeAll(async () => {
  // A broker that closes any channel holding a delivery unacknowledged for more than a second.
  broker = await startRabbitMqBroker({ consumerTimeoutMs: 1_000, channelTickIntervalMs: 200 });
});

afterAll(async () => {
  await broker.dispose();
});

describe("RabbitMQ's consumer timeout", () => {
  it('does not make a task that outlives it run twice or lose its result', async () => {
    const suffix = randomUUID();
    const names = { messageExchange: `ct.messages.${suffix}`, taskExchange: `ct.tasks.${suffix}`, taskQueue: `ct.tasks.${suffix}` };
    const logger = recordingLogger();
    // x-consumer-timeout is honoured by RabbitMQ 3.12+; older brokers accept and ignore it.
    const worker = await connect(broker.url, { ...names, logger, consumerTimeoutMs: 1_000 });
    const client = await connect(broker.url, { ...names, logger: recordingLogger() });
    try {
      const started = deferred<void>();
      const release = deferred<string>();
      let runs = 0;
      worker.addTaskSubscriber(() => {
        runs += 1;
        started.resolve();
        return release.promise;
      });

      const result = client.taskSend('longer than the consumer timeout');
      await started.promise;
      // The broker closes the task channel; the worker opens a new one and gets the task again.
      await logger.until((e) => /closed the task channel/.test(e.message));
      await worker.ready();
      release.resolve('finished');

      await expect(result).resolves.toBe('finished');
      expect(runs).toBe(1);
      // The other connection-level channels were not disturbed: RPC still works.
      worker.addRpcSubscriber(() => 'alive', 'ping');
      await worker.ready();
      await expect(client.rpcSend('ping', null)).resolves.toBe('alive');
      expect(logger.entries.some((e) => /reconnecting/.test(e.message))).toBe(false);
    } finally {
      await client.close();
      await worker.close();
    }
  }, 60_000);
});
