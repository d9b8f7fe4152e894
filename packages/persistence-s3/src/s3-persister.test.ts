import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ClassRegistry, ConcurrentModificationError, PersistenceError } from '@plumpy-ts/persistence';
import { CheckpointProbe, persisterConformanceSuite } from '@plumpy-ts/persistence/testkit';
import { startS3Server, type S3Server } from '@plumpy-ts/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3Persister } from './s3-persister.js';

const BUCKET = 'plumpy-checkpoints';
let server: S3Server;
let client: S3Client;
let prefixes = 0;

beforeAll(async () => {
  server = await startS3Server();
  client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    forcePathStyle: true,
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

/** A persister on its own prefix, so that tests do not see each other's checkpoints. */
function persister(options: { prefix?: string; pageSize?: number } = {}): S3Persister {
  prefixes += 1;
  return new S3Persister({ bucket: BUCKET, prefix: options.prefix ?? `test-${prefixes}`, client, pageSize: options.pageSize });
}

persisterConformanceSuite('S3Persister', { create: () => persister(), fencing: true });
persisterConformanceSuite('S3Persister (pages of 3 keys)', { create: () => persister({ pageSize: 3 }), fencing: true });

describe('S3Persister', () => {
  beforeEach(() => {
    ClassRegistry.default.register(CheckpointProbe);
  });

  it('runs against a server that honours conditional writes', () => {
    expect(server.conditionalWrites).toBe(true);
  });

  it('keeps one object per checkpoint under the prefix, with the revision in its metadata', async () => {
    const store = persister({ prefix: 'layout' });
    const probe = new CheckpointProbe('p/1', { when: new Date(0) });
    await store.saveCheckpoint(probe);
    await store.saveCheckpoint(probe);
    await store.saveCheckpoint(probe, 'step 2');
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'layout/p%2F1/untagged.json' }));
    expect(object.Metadata?.['plumpy-revision']).toBe('2');
    const parsed = JSON.parse((await object.Body?.transformToString()) ?? '') as { json: { revision: number } };
    expect(parsed.json.revision).toBe(2);
    await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'layout/p%2F1/tag-step%202.json' }));
  });

  it('lists more checkpoints than fit in one page', async () => {
    const store = persister({ pageSize: 2 });
    const expected: string[] = [];
    for (let i = 0; i < 11; i += 1) {
      await store.saveCheckpoint(new CheckpointProbe(`p${i}`), 't');
      expected.push(`p${i}`);
    }
    expect((await store.getCheckpoints()).map((c) => c.pid).sort()).toEqual(expected.sort());
    const one = new CheckpointProbe('many');
    for (let i = 0; i < 7; i += 1) await store.saveCheckpoint(one, `tag-${i}`);
    expect(await store.getProcessCheckpoints('many')).toHaveLength(7);
    await store.deleteProcessCheckpoints('many');
    expect(await store.getProcessCheckpoints('many')).toEqual([]);
  });

  it('isolates prefixes, including prefixes that start alike', async () => {
    const a = persister({ prefix: 'app' });
    const b = persister({ prefix: 'app-other/' });
    await a.saveCheckpoint(new CheckpointProbe('p1', { from: 'a' }));
    await b.saveCheckpoint(new CheckpointProbe('p1', { from: 'b' }));
    expect(a.prefix).toBe('app/');
    expect(await a.getCheckpoints()).toEqual([{ pid: 'p1', tag: undefined }]);
    expect((await a.loadCheckpoint('p1')).unbundle<CheckpointProbe>().values).toEqual({ from: 'a' });
    await a.deleteProcessCheckpoints('p1');
    expect((await b.loadCheckpoint('p1')).unbundle<CheckpointProbe>().values).toEqual({ from: 'b' });
  });

  it('ignores foreign objects under the prefix', async () => {
    const store = persister({ prefix: 'foreign' });
    await store.saveCheckpoint(new CheckpointProbe('p1'));
    for (const Key of ['foreign/readme.txt', 'foreign/p1/notes.json', 'foreign/a/b/c.json', 'foreign/bad.seg/untagged.json']) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' }));
    }
    expect(await store.getCheckpoints()).toEqual([{ pid: 'p1', tag: undefined }]);
  });

  it('lets only one of two persisters win a race on one key (conditional writes)', async () => {
    const first = persister({ prefix: 'race' });
    const second = new S3Persister({ bucket: BUCKET, prefix: 'race', client });
    await first.saveCheckpoint(new CheckpointProbe('p1'));
    for (let round = 0; round < 5; round += 1) {
      const a = (await first.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
      const b = (await second.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
      a.values = { writer: 'a', round };
      b.values = { writer: 'b', round };
      const results = await Promise.allSettled([first.saveCheckpoint(a), second.saveCheckpoint(b)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason instanceof ConcurrentModificationError).toBe(true);
    }
  });

  it('notices a newer checkpoint written by another persister since its own last write', async () => {
    const mine = persister({ prefix: 'stale-etag' });
    const theirs = new S3Persister({ bucket: BUCKET, prefix: 'stale-etag', client });
    const probe = new CheckpointProbe('p1');
    await mine.saveCheckpoint(probe); // mine now remembers the ETag of revision 1
    const copy = (await theirs.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    copy.step();
    await theirs.saveCheckpoint(copy); // revision 2
    await expect(mine.saveCheckpoint(probe)).rejects.toBeInstanceOf(ConcurrentModificationError); // also revision 2
    expect((await mine.loadCheckpoint('p1')).unbundle<CheckpointProbe>().steps).toBe(1);
  });

  it('refuses to create a checkpoint another writer created first (If-None-Match)', async () => {
    const store = persister({ prefix: 'create-race' });
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'create-race/p1/untagged.json', Body: 'x', Metadata: { 'plumpy-revision': '9' } }),
    );
    await expect(store.saveCheckpoint(new CheckpointProbe('p1'))).rejects.toThrow(/holds revision 9/);
  });

  it('names a corrupt object in the error', async () => {
    const store = persister({ prefix: 'corrupt' });
    await store.saveCheckpoint(new CheckpointProbe('p1'));
    await store.saveCheckpoint(new CheckpointProbe('p2'));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'corrupt/p1/untagged.json', Body: '{"json":' }));
    await expect(store.loadCheckpoint('p1')).rejects.toThrow(`s3://${BUCKET}/corrupt/p1/untagged.json`);
    await expect(store.loadCheckpoint('p2')).resolves.toBeDefined();
  });

  it('reports a missing bucket as a PersistenceError, not as a missing checkpoint', async () => {
    const store = new S3Persister({ bucket: 'no-such-bucket', client });
    const loading = store.loadCheckpoint('p1');
    await expect(loading).rejects.toThrow(PersistenceError);
    await expect(loading).rejects.toThrow(/no-such-bucket/);
  });

  it('makes and closes its own client from clientConfig', async () => {
    const store = new S3Persister({
      bucket: BUCKET,
      prefix: 'own-client',
      clientConfig: { endpoint: server.endpoint, region: server.region, credentials: server.credentials, forcePathStyle: true },
    });
    await store.saveCheckpoint(new CheckpointProbe('p1'));
    expect(await store.getCheckpoints()).toEqual([{ pid: 'p1', tag: undefined }]);
    store.close();
  });

  it('validates the page size', () => {
    expect(() => new S3Persister({ bucket: BUCKET, client, pageSize: 0 })).toThrow(PersistenceError);
    expect(() => new S3Persister({ bucket: BUCKET, client, pageSize: 1001 })).toThrow(PersistenceError);
  });
});
