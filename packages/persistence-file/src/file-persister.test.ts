import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassRegistry, ConcurrentModificationError, PersistenceError, serializeBundle, Bundle } from '@plumpy-ts/persistence';
import { CheckpointProbe, persisterConformanceSuite } from '@plumpy-ts/persistence/testkit';
import { FilePersister } from './file-persister.js';

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'plumpy-file-persister-'));
  directories.push(directory);
  return directory;
}

persisterConformanceSuite('FilePersister', {
  create: () => new FilePersister({ directory: freshDirectory() }),
  destroy: (persister) => rmSync(persister.directory, { recursive: true, force: true }),
  fencing: true,
});

persisterConformanceSuite('FilePersister (durable)', {
  create: () => new FilePersister({ directory: freshDirectory(), durable: true }),
  destroy: (persister) => rmSync(persister.directory, { recursive: true, force: true }),
  fencing: true,
});

describe('FilePersister', () => {
  let directory: string;
  let persister: FilePersister;

  beforeEach(() => {
    ClassRegistry.default.register(CheckpointProbe);
    directory = freshDirectory();
    persister = new FilePersister({ directory });
  });

  afterEach(() => {
    for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const files = (pid: string): string[] => readdirSync(join(directory, pid)).sort();
  const load = async (pid: string, tag?: string): Promise<CheckpointProbe> =>
    (await persister.loadCheckpoint(pid, tag)).unbundle<CheckpointProbe>();

  it('creates its directory', () => {
    const nested = join(freshDirectory(), 'a', 'b');
    new FilePersister({ directory: nested });
    expect(existsSync(nested)).toBe(true);
  });

  it('keeps one superjson file per checkpoint, named by pid, tag and revision', async () => {
    const probe = new CheckpointProbe('p1', { when: new Date(0) });
    await persister.saveCheckpoint(probe);
    await persister.saveCheckpoint(probe);
    await persister.saveCheckpoint(probe, 'step/2');
    expect(files('p1')).toEqual(['tag-step%2F2.r3.json', 'untagged.r2.json']);
    const text = readFileSync(join(directory, 'p1', 'untagged.r2.json'), 'utf8');
    const parsed = JSON.parse(text) as { json: { version: number; revision: number }; meta: { values: object } };
    expect(parsed.json.version).toBe(1);
    expect(parsed.json.revision).toBe(2);
    expect(parsed.meta.values).toEqual({ 'state.values.when': ['Date'] });
  });

  it('escapes pids so that they stay inside the directory', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('../outside'));
    expect(readdirSync(directory)).toEqual(['%2E%2E%2Foutside']);
    expect(pairsOf(await persister.getCheckpoints())).toEqual([['../outside', undefined]]);
  });

  it('names a corrupt file in the error and keeps the other checkpoints readable', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('p1'));
    await persister.saveCheckpoint(new CheckpointProbe('p2', { ok: true }));
    const corrupt = join(directory, 'p1', 'untagged.r1.json');
    writeFileSync(corrupt, '{"json": {"format": "plumpy-ts.bun');
    const loading = persister.loadCheckpoint('p1');
    await expect(loading).rejects.toThrow(PersistenceError);
    await expect(loading).rejects.toThrow(corrupt);
    expect((await load('p2')).values).toEqual({ ok: true });
    expect(pairsOf(await persister.getCheckpoints())).toEqual([
      ['p1', undefined],
      ['p2', undefined],
    ]);
  });

  it('reads the file on every load: a rewritten file is decoded anew, an unchanged one gives independent copies', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('p1', { list: [{ n: 1 }] }));
    const first = await load('p1');
    (first.values.list as { n: number }[])[0]!.n = 99;
    const second = await load('p1');
    expect(second.values).toEqual({ list: [{ n: 1 }] });
    expect(second.values.list).not.toBe(first.values.list);
    const path = join(directory, 'p1', 'untagged.r1.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"n":1', '"n":2'));
    expect((await load('p1')).values).toEqual({ list: [{ n: 2 }] });
    writeFileSync(path, '{"json": {"format": "plumpy-ts.bun');
    await expect(persister.loadCheckpoint('p1')).rejects.toThrow(path);
  });

  it('decodes every load from scratch with decodeCache 0', async () => {
    const uncached = new FilePersister({ directory, decodeCache: 0 });
    await uncached.saveCheckpoint(new CheckpointProbe('p1', { a: { b: 1 } }));
    const one = (await uncached.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    const two = (await uncached.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    expect(two.values).toEqual({ a: { b: 1 } });
    expect(two.values.a).not.toBe(one.values.a);
  });

  it('names a truncated file in the error', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('p1', { big: 'x'.repeat(1000) }), 'tag');
    const path = join(directory, 'p1', 'tag-tag.r1.json');
    truncateSync(path, 100);
    await expect(persister.loadCheckpoint('p1', 'tag')).rejects.toThrow(new RegExp(`${path}.*corrupt or truncated`));
    truncateSync(path, 0);
    await expect(persister.loadCheckpoint('p1', 'tag')).rejects.toThrow(path);
  });

  it('names a file of an unknown bundle version', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('p1'));
    const path = join(directory, 'p1', 'untagged.r1.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"version":1', '"version":7'));
    await expect(persister.loadCheckpoint('p1')).rejects.toThrow(/untagged\.r1\.json has bundle version 7/);
  });

  it('ignores temporary and foreign files', async () => {
    await persister.saveCheckpoint(new CheckpointProbe('p1'));
    writeFileSync(join(directory, 'p1', '.tmp-untagged.r9.json-1-abc'), 'partial');
    writeFileSync(join(directory, 'p1', 'notes.txt'), 'hello');
    writeFileSync(join(directory, 'README'), 'hello');
    mkdirSync(join(directory, '.hidden'));
    expect(pairsOf(await persister.getCheckpoints())).toEqual([['p1', undefined]]);
    expect((await load('p1')).steps).toBe(0);
  });

  it('shares a directory between persisters as between OS processes', async () => {
    const other = new FilePersister({ directory });
    await persister.saveCheckpoint(new CheckpointProbe('p1', { from: 'first' }));
    expect((await other.loadCheckpoint('p1')).unbundle<CheckpointProbe>().values).toEqual({ from: 'first' });
    const copyA = (await persister.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    const copyB = (await other.loadCheckpoint('p1')).unbundle<CheckpointProbe>();
    await other.saveCheckpoint(copyB);
    await expect(persister.saveCheckpoint(copyA)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(files('p1')).toEqual(['untagged.r2.json']);
  });

  describe('fencing against writers in other OS processes', () => {
    /** Writes revision `revision` of p1's untagged checkpoint as another process would. */
    function writeForeignRevision(revision: number, writer: string): void {
      const probe = new CheckpointProbe('p1', { writer });
      const data = { ...new Bundle(probe).toData(), revision };
      mkdirSync(join(directory, 'p1'), { recursive: true });
      writeFileSync(join(directory, 'p1', `untagged.r${revision}.json`), serializeBundle(data));
    }

    it('refuses a revision another writer has already stored', async () => {
      writeForeignRevision(1, 'other');
      const saving = persister.saveCheckpoint(new CheckpointProbe('p1', { writer: 'me' }));
      await expect(saving).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await load('p1')).values).toEqual({ writer: 'other' });
    });

    it('withdraws its file when a newer revision appeared while it wrote', async () => {
      writeForeignRevision(5, 'other');
      const saving = persister.saveCheckpoint(new CheckpointProbe('p1', { writer: 'me' }));
      await expect(saving).rejects.toThrow(/holds revision 5.*revision 1, which is not newer/);
      expect(files('p1')).toEqual(['untagged.r5.json']);
    });

    it('reads the highest revision and cleans up older ones on the next save', async () => {
      writeForeignRevision(1, 'one');
      writeForeignRevision(3, 'three');
      writeForeignRevision(2, 'two');
      expect((await load('p1')).values).toEqual({ writer: 'three' });
      expect(pairsOf(await persister.getCheckpoints())).toEqual([['p1', undefined]]);
      const next = await load('p1');
      await persister.saveCheckpoint(next);
      expect(files('p1')).toEqual(['untagged.r4.json']);
    });
  });

  it('reports an unusable directory as a PersistenceError', () => {
    const file = join(freshDirectory(), 'a-file');
    writeFileSync(file, '');
    expect(() => new FilePersister({ directory: join(file, 'sub') })).toThrow(PersistenceError);
  });
});

function pairsOf(checkpoints: readonly { pid: string; tag: string | undefined }[]): [string, string | undefined][] {
  return checkpoints.map((c): [string, string | undefined] => [c.pid, c.tag]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
