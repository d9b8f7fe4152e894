import { randomUUID } from 'node:crypto';
import { UnroutableError } from '@plumpy-ts/communicator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { closeConnectionByName, recordingLogger, type RecordingLogger } from './__tests__/support.js';
import { connect } from './connect.js';
import type { RmqCommunicatorOptions } from './options.js';
import type { RmqCommunicator } from './rmq-communicator.js';

let broker: RabbitMqBroker;
const opened: RmqCommunicator[] = [];

beforeAll(async () => {
  broker = await startRabbitMqBroker();
});

afterEach(async () => {
  for (const communicator of opened.splice(0)) await communicator.close();
});

afterAll(async () => {
  await broker.dispose();
});

function appNames(): Pick<RmqCommunicatorOptions, 'messageExchange' | 'taskExchange' | 'taskQueue'> {
  const suffix = randomUUID();
  return { messageExchange: `routing.messages.${suffix}`, taskExchange: `routing.tasks.${suffix}`, taskQueue: `routing.tasks.${suffix}` };
}

/** A communicator whose time limit is far beyond any test's: a send that would time out fails the test instead. */
async function open(options: RmqCommunicatorOptions & { logger?: RecordingLogger }): Promise<RmqCommunicator> {
  const communicator = await connect(broker.url, {
    logger: recordingLogger(),
    timeoutMs: 60_000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    ...options,
  });
  opened.push(communicator);
  return communicator;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RPC routing on one queue per connection', () => {
  it('routes to many identifiers of one communicator, and stops routing to the removed ones', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    const ids = Array.from({ length: 200 }, (_, i) => `process-${i}`);
    for (const id of ids) worker.addRpcSubscriber((_c, msg) => ({ id, msg }), id);
    await worker.ready();

    const answers = await Promise.all(ids.map((id) => client.rpcSend(id, 'status')));
    expect(answers).toEqual(ids.map((id) => ({ id, msg: 'status' })));

    const removed = ids.filter((_, i) => i % 2 === 0);
    for (const id of removed) worker.removeRpcSubscriber(id);
    await worker.ready();
    const outcomes = await Promise.allSettled(ids.map((id) => client.rpcSend(id, 'again')));
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(UnroutableError);
      } else {
        expect(outcome).toEqual({ status: 'fulfilled', value: { id: ids[i], msg: 'again' } });
      }
    });
  });

  it('fails an RPC to a subscriber that was just removed with UnroutableError, not a timeout', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    // Sent at different moments of the removal: before the binding is gone, while it goes, after.
    for (const delayTurns of [0, 1, 2, 5]) {
      const id = `short-lived-${delayTurns}`;
      worker.addRpcSubscriber(() => 'here', id);
      await worker.ready();
      await expect(client.rpcSend(id, 'status')).resolves.toBe('here');
      worker.removeRpcSubscriber(id);
      for (let i = 0; i < delayTurns; i += 1) await nextTurn();
      await expect(client.rpcSend(id, 'status')).rejects.toBeInstanceOf(UnroutableError);
    }
  });

  it('answers under an identifier removed and added again, on its own communicator and another', async () => {
    const names = appNames();
    const worker = await open(names);
    const client = await open(names);
    worker.addRpcSubscriber(() => 'first', 'again');
    await worker.ready();
    await expect(client.rpcSend('again', 1)).resolves.toBe('first');

    worker.removeRpcSubscriber('again');
    await nextTurn(); // the unbind is under way
    worker.addRpcSubscriber(() => 'second', 'again');
    await expect(worker.rpcSend('again', 1)).resolves.toBe('second');
    await worker.ready();
    await expect(client.rpcSend('again', 1)).resolves.toBe('second');
  });

  it('reaches a subscriber added in the same turn as the send from its own communicator without ready()', async () => {
    const names = appNames();
    const communicator = await open(names);
    communicator.addRpcSubscriber((_c, msg) => `echo ${String(msg)}`, 'self');
    await expect(communicator.rpcSend('self', 'hi')).resolves.toBe('echo hi');
  });

  it('binds every identifier again after reconnecting, including those added while disconnected', async () => {
    const names = appNames();
    const connectionName = `routing-${randomUUID()}`;
    const logger = recordingLogger();
    const worker = await open({ ...names, connectionName, logger });
    const client = await open(names);
    worker.addRpcSubscriber(() => 'before', 'before');
    worker.addRpcSubscriber(() => 'dropped', 'dropped');
    await worker.ready();

    await closeConnectionByName(broker, connectionName);
    worker.removeRpcSubscriber('dropped');
    worker.addRpcSubscriber(() => 'during', 'during');
    await logger.until((e) => /Reconnected/.test(e.message));
    await worker.ready();

    await expect(client.rpcSend('before', 1)).resolves.toBe('before');
    await expect(client.rpcSend('during', 1)).resolves.toBe('during');
    await expect(client.rpcSend('dropped', 1)).rejects.toBeInstanceOf(UnroutableError);
  });
});
