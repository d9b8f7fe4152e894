/**
 * No duplicate runs over a real RabbitMQ broker whose consumer timeout is one
 * second: a task held longer is redelivered (here to the other worker), which
 * must follow the process instead of running it a second time. Two workers
 * (an RmqCommunicator with a ProcessLauncher each) live in this Node process
 * and share a fencing FilePersister.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Communicator } from '@plumpy-ts/communicator';
import { connect, type RmqCommunicator } from '@plumpy-ts/communicator-rmq';
import { FilePersister } from '@plumpy-ts/persistence-file';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Doubler, GatedWorkChain, TickingWorkChain } from './__tests__/processes.js';
import { deferred, recordingLogger, type Deferred } from './__tests__/support.js';
import { newPid } from './new-pid.js';
import { ProcessLauncher } from './process-launcher.js';
import { RemoteProcessController } from './remote-process-controller.js';
import { createContinueBody } from './task-bodies.js';

interface TestWorker {
  readonly name: string;
  readonly communicator: RmqCommunicator;
  readonly launcher: ProcessLauncher;
  /** Task deliveries its subscriber was handed. */
  received: number;
  /** Resolves at its next task delivery. */
  nextTask: Deferred<void>;
  subscribe(): void;
  unsubscribe(): void;
}

describe("no duplicate runs over RabbitMQ with a one-second consumer timeout", () => {
  let broker: RabbitMqBroker;
  let directory: string;
  let workers: TestWorker[] = [];
  let client: RmqCommunicator;
  let controller: RemoteProcessController;

  beforeAll(async () => {
    // A broker that closes any channel holding a delivery unacknowledged for more than a second.
    broker = await startRabbitMqBroker({ consumerTimeoutMs: 1_000, channelTickIntervalMs: 200 });
    directory = mkdtempSync(join(tmpdir(), 'plumpy-ts-single-run-'));
    const suffix = randomUUID();
    const options = {
      messageExchange: `controllers.single.messages.${suffix}`,
      taskExchange: `controllers.single.tasks.${suffix}`,
      taskQueue: `controllers.single.tasks.${suffix}`,
      timeoutMs: 20_000,
    };
    const logger = recordingLogger();
    for (const name of ['A', 'B']) {
      const communicator = await connect(broker.url, { ...options, logger: recordingLogger() });
      const launcher = new ProcessLauncher({
        persister: new FilePersister({ directory }),
        logger,
        livenessCheckIntervalMs: 500,
      });
      const worker: TestWorker = {
        name,
        communicator,
        launcher,
        received: 0,
        nextTask: deferred(),
        subscribe() {
          communicator.addTaskSubscriber((c: Communicator, task: unknown) => {
            worker.received += 1;
            worker.nextTask.resolve();
            return launcher.handle(c, task);
          }, `launcher-${name}`);
        },
        unsubscribe() {
          communicator.removeTaskSubscriber(`launcher-${name}`);
        },
      };
      worker.subscribe();
      await communicator.ready();
      workers.push(worker);
    }
    client = await connect(broker.url, { ...options, logger: recordingLogger() });
    controller = new RemoteProcessController(client);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    for (const worker of workers) await worker.communicator.close();
    workers = [];
    await broker?.dispose();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    for (const worker of workers) worker.nextTask = deferred();
  });

  it('a task redelivered to the other worker by the consumer timeout does not run the process twice', async () => {
    const [a, b] = workers as [TestWorker, TestWorker];
    const pid = newPid();
    const outcome = controller.launchProcess(TickingWorkChain, {
      inputs: { minTicks: 10, maxTicks: 600, delayMs: 100 },
      persist: true,
      pid,
    });
    // Whichever worker took it runs it; the broker closes that worker's task
    // channel after a second and redelivers the task, which reaches the other
    // worker (at once, or after more consumer timeouts). It follows the process.
    const first = await Promise.race(workers.map((w) => w.nextTask.promise.then(() => w)));
    const runner = first;
    const other = runner === a ? b : a;
    await other.nextTask.promise;
    await vi.waitFor(() => expect(other.launcher.followingCount).toBe(1), { timeout: 20_000, interval: 10 });
    expect(runner.launcher.runningCount).toBe(1);
    expect(other.launcher.runningCount).toBe(0);
    TickingWorkChain.released.add(pid);

    const outputs = await outcome;
    const ticks = TickingWorkChain.log.filter((entry) => entry.pid === pid);
    // Every tick ran exactly once, all on the worker that took the task first.
    expect(outputs).toEqual({ ticks: ticks.length });
    expect(ticks.map((entry) => entry.tick)).toEqual(Array.from({ length: ticks.length }, (_, i) => i));
    expect(ticks.every((entry) => entry.communicator === runner.communicator)).toBe(true);
    expect(ticks.length).toBeGreaterThanOrEqual(10);
    expect(other.received).toBeGreaterThanOrEqual(1);
    expect(runner.launcher.runningCount).toBe(0);
    expect(other.launcher.runningCount).toBe(0);

    // Both workers are still healthy: each takes and runs a new launch.
    for (const worker of workers) {
      const rest = workers.filter((w) => w !== worker);
      for (const w of rest) w.unsubscribe();
      await Promise.all(rest.map((w) => w.communicator.ready()));
      const before = worker.received;
      expect(await controller.launchProcess(Doubler, { inputs: { a: 21 } })).toEqual({ doubled: 42 });
      expect(worker.received).toBeGreaterThan(before);
      for (const w of rest) w.subscribe();
      await Promise.all(rest.map((w) => w.communicator.ready()));
    }
  }, 120_000);

  it('two workers handed the same continue task at once: one runs it, the other follows (fencing breaks the tie)', async () => {
    const [a, b] = workers as [TestWorker, TestWorker];
    const pid = newPid();
    await new FilePersister({ directory }).saveCheckpoint(new GatedWorkChain({ pid }));
    const body = createContinueBody(pid);
    const answers = await Promise.all([
      a.launcher.handle(a.communicator, body),
      b.launcher.handle(b.communicator, body),
    ]);
    expect(answers).toEqual([{ trace: ['s1', 's2', 's3'] }, { trace: ['s1', 's2', 's3'] }]);
    expect(GatedWorkChain.executions.get(pid)).toEqual(['s1', 's2', 's3']);
  }, 60_000);
});
