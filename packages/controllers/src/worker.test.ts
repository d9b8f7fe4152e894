import { LocalCommunicator, TaskRejected } from '@plumpy-ts/communicator';
import { InMemoryPersister } from '@plumpy-ts/persistence';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CountingWorkChain, DummyProcess, SlowWorkChain } from './__tests__/processes.js';
import { recordingLogger } from './__tests__/support.js';
import { processOutcome } from './process-end.js';
import { RemoteProcessController } from './remote-process-controller.js';
import { createWorker } from './worker.js';

describe('createWorker', () => {
  let communicator: LocalCommunicator;
  const logger = recordingLogger();

  beforeEach(() => {
    communicator = new LocalCommunicator();
  });

  afterEach(async () => {
    await communicator.close();
  });

  it('runs launched processes', async () => {
    const worker = createWorker({ communicator, logger });
    const controller = new RemoteProcessController(communicator);
    expect(await controller.launchProcess(CountingWorkChain, { inputs: { steps: 4 } })).toEqual({ result: 5 });
    expect(worker.running).toBe(0);
    await worker.stop();
  });

  it('bounds how many processes run at once', async () => {
    const worker = createWorker({ communicator, logger, concurrency: 3 });
    const controller = new RemoteProcessController(communicator);
    const launches = Array.from({ length: 8 }, () =>
      controller.launchProcess(SlowWorkChain, { inputs: { iterations: 3, delayMs: 5 } }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker.running).toBe(3);
    expect(worker.waiting).toBe(5);
    expect(await Promise.all(launches)).toEqual(Array.from({ length: 8 }, () => ({ count: 3 })));
    expect(worker.running).toBe(0);
  });

  it('stops gracefully: takes no more tasks and hands its processes to another worker', async () => {
    const persister = new InMemoryPersister();
    const first = createWorker({ communicator, persister, logger });
    const second = createWorker({ communicator, persister, logger });
    const controller = new RemoteProcessController(communicator);
    const launches = Array.from({ length: 4 }, () =>
      controller.launchProcess(SlowWorkChain, { inputs: { iterations: 20, delayMs: 2 }, persist: true }),
    );
    const pid = await controller.launchProcess(SlowWorkChain, {
      inputs: { iterations: 20, delayMs: 2 },
      persist: true,
      nowait: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(first.running).toBe(5);
    expect(first.stopping).toBe(false);

    const stopping = first.stop();
    expect(first.stopping).toBe(true);
    expect(first.stop()).toBe(stopping);
    await stopping;
    expect(first.running).toBe(0);
    expect(await Promise.all(launches)).toEqual(Array.from({ length: 4 }, () => ({ count: 20 })));
    expect(await processOutcome(communicator, pid, { persister })).toEqual({ count: 20 });
    // New tasks go to the second worker only.
    await expect(first.launcher.handle(communicator, { task: 'launch', args: { process_class: 'x' } })).rejects.toThrow(
      TaskRejected,
    );
    expect(await controller.launchProcess(DummyProcess)).toEqual({});
    await second.stop();
  });
});
