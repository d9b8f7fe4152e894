import { randomUUID } from 'node:crypto';
import type { Communicator } from '@plumpy-ts/communicator';
import { connect, type RmqCommunicator } from '@plumpy-ts/communicator-rmq';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { afterAll, beforeAll } from 'vitest';
import { controllerSuite } from './__tests__/controller-suite.js';
import { recordingLogger } from './__tests__/support.js';

let broker: RabbitMqBroker;

beforeAll(async () => {
  broker = await startRabbitMqBroker();
});

afterAll(async () => {
  await broker.dispose();
});

controllerSuite('on RmqCommunicators (worker and client on separate connections)', {
  open: async () => {
    const suffix = randomUUID();
    const names = {
      messageExchange: `controllers.test.messages.${suffix}`,
      taskExchange: `controllers.test.tasks.${suffix}`,
      taskQueue: `controllers.test.tasks.${suffix}`,
    };
    const options = { ...names, timeoutMs: 10_000, logger: recordingLogger() };
    const worker = await connect(broker.url, { ...options, prefetch: 16 });
    const client = await connect(broker.url, options);
    return {
      worker,
      client,
      close: async () => {
        await client.close();
        await worker.close();
      },
    };
  },
  ready: (communicator: Communicator) => (communicator as RmqCommunicator).ready(),
});
