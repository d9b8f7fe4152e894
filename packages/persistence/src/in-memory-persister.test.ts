import { describe, expect, it } from 'vitest';
import { persisterConformanceSuite } from './testkit/index.js';
import { CheckpointProbe } from './testkit/checkpoint-probe.js';
import { InMemoryPersister } from './in-memory-persister.js';
import { ConcurrentModificationError } from './errors.js';
import { ClassRegistry } from './class-registry.js';

persisterConformanceSuite('InMemoryPersister', { create: () => new InMemoryPersister() });
persisterConformanceSuite('InMemoryPersister (fenced)', { create: () => new InMemoryPersister({ fenced: true }), fencing: true });

describe('InMemoryPersister', () => {
  it('lets two copies of a process overwrite each other when not fenced, as plumpy does', async () => {
    const persister = new InMemoryPersister();
    const original = new CheckpointProbe('p1');
    await persister.saveCheckpoint(original);
    const copy = (await persister.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    copy.step();
    await persister.saveCheckpoint(copy);
    await persister.saveCheckpoint(original);
    expect((await persister.loadCheckpoint('p1')).unbundle<CheckpointProbe>().steps).toBe(0);
  });

  it('refuses a stale copy when fenced', async () => {
    const persister = new InMemoryPersister({ fenced: true });
    const original = new CheckpointProbe('p1');
    await persister.saveCheckpoint(original);
    const copy = (await persister.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    await persister.saveCheckpoint(copy);
    await expect(persister.saveCheckpoint(original)).rejects.toBeInstanceOf(ConcurrentModificationError);
  });

  it('names classes through the loader it was given', async () => {
    const registry = new ClassRegistry();
    registry.register(CheckpointProbe, 'custom/probe');
    const persister = new InMemoryPersister({ loader: registry });
    await persister.saveCheckpoint(new CheckpointProbe('p1'));
    expect((await persister.loadCheckpoint('p1')).classId).toBe('custom/probe');
  });
});
