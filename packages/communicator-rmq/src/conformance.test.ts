import { randomUUID } from 'node:crypto';
import { communicatorConformanceSuite } from '@plumpy-ts/communicator/testkit';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { afterAll, beforeAll } from 'vitest';
import { connect } from './connect.js';
import type { RmqLogger } from './options.js';

let broker: RabbitMqBroker;

beforeAll(async () => {
  broker = await startRabbitMqBroker();
});

afterAll(async () => {
  await broker.dispose();
});

/** Subscriber failures are provoked on purpose by the suite; keep them out of the test output. */
const quietLogger: RmqLogger = { error: () => undefined, warn: () => undefined };

/** Fresh exchange and queue names, so that no test sees another's messages. */
function isolatedNames(): { messageExchange: string; taskExchange: string; taskQueue: string } {
  const suffix = randomUUID();
  return {
    messageExchange: `conformance.messages.${suffix}`,
    taskExchange: `conformance.tasks.${suffix}`,
    taskQueue: `conformance.tasks.${suffix}`,
  };
}

communicatorConformanceSuite('RmqCommunicator', {
  create: () => connect(broker.url, { ...isolatedNames(), prefetch: 8, timeoutMs: 5_000, logger: quietLogger }),
  deliveryTimeoutMs: 15_000,
});
