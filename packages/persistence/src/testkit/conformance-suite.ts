import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Bundle,
  ClassRegistry,
  ConcurrentModificationError,
  PersistenceError,
  type Checkpointable,
  type Persister,
} from '../index.js';
import { CheckpointProbe } from './checkpoint-probe.js';

/** How {@link persisterConformanceSuite} obtains and disposes of the persister under test. */
export interface PersisterConformanceOptions<P extends Persister = Persister> {
  /** Makes a persister with no checkpoints stored, once per test. */
  create(): P | Promise<P>;
  /** Disposes of a persister made by `create` after its test (close clients, remove directories). */
  destroy?(persister: P): void | Promise<void>;
  /**
   * Whether the persister fences: it refuses to replace a stored checkpoint with
   * one whose revision is not newer, rejecting with `ConcurrentModificationError`.
   * The fencing tests run only when this is true.
   */
  fencing?: boolean;
}

type Pair = [string, string | undefined];

/** The checkpoints as sorted [pid, tag] pairs, for order-free comparison. */
function pairs(checkpoints: readonly { pid: string; tag: string | undefined }[]): Pair[] {
  return checkpoints
    .map((c): Pair => [c.pid, c.tag])
    .sort((a, b) => {
      const left = JSON.stringify(a);
      const right = JSON.stringify(b);
      return left < right ? -1 : left > right ? 1 : 0;
    });
}

/** A value of every kind that must survive a save and load. */
function richValues(): Record<string, unknown> {
  // An Error comes back as an Error with its name as an own property (superjson's behaviour).
  const cause = new Error('root cause');
  cause.name = 'Error';
  const error = new Error('boom', { cause });
  error.name = 'CustomFailure';
  return {
    date: new Date('2024-05-06T07:08:09.010Z'),
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, { nested: new Date(0) }],
      [{ objectKey: true }, new Set([1n])],
    ]),
    set: new Set(['x', 2, undefined]),
    big: 12345678901234567890n,
    undef: undefined,
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    negInf: Number.NEGATIVE_INFINITY,
    negZero: -0,
    nil: null,
    regexp: /ab+c/giu,
    error,
    arrayWithUndefined: [1, undefined, 'three', [undefined]],
    'key.with.dots': { 'back\\slash': 'ok' },
    unicode: 'héllo wörld ✓ 𝄞',
    empty: { list: [], object: {}, string: '' },
  };
}

/**
 * Registers vitest tests that check a {@link Persister} implementation against
 * the contract: save/load round trips, tags (including the untagged checkpoint),
 * listing, deletion, pids compared as strings, errors for missing checkpoints
 * and unsupported values, snapshot-at-call-time semantics, the plain-data types
 * that must survive, and (with `fencing: true`) revision fencing.
 *
 * Call it at the top level of a test file:
 * ```ts
 * persisterConformanceSuite('MyPersister', { create: () => new MyPersister(), fencing: true });
 * ```
 */
export function persisterConformanceSuite<P extends Persister>(name: string, options: PersisterConformanceOptions<P>): void {
  describe(`${name} (persister conformance)`, () => {
    let persister: P;
    let created = false;

    beforeEach(async () => {
      ClassRegistry.default.register(CheckpointProbe);
      persister = await options.create();
      created = true;
    });

    afterEach(async () => {
      if (created && options.destroy) await options.destroy(persister);
      created = false;
    });

    const load = async (pid: string | number, tag?: string): Promise<CheckpointProbe> =>
      (await persister.loadCheckpoint(String(pid), tag)).unbundle<CheckpointProbe>();

    describe('save and load', () => {
      it('loads a bundle that unbundles to an equal instance', async () => {
        const probe = new CheckpointProbe('p1', { a: 1, list: [1, 2, 3], nested: { b: 'two' } });
        probe.step();
        await persister.saveCheckpoint(probe);
        const bundle = await persister.loadCheckpoint('p1');
        expect(bundle).toBeInstanceOf(Bundle);
        expect(bundle.classId).toBe(CheckpointProbe.processId);
        expect(String(bundle.pid)).toBe('p1');
        const loaded = bundle.unbundle<CheckpointProbe>();
        expect(loaded).toBeInstanceOf(CheckpointProbe);
        expect(loaded.pid).toBe('p1');
        expect(loaded.values).toEqual({ a: 1, list: [1, 2, 3], nested: { b: 'two' } });
        expect(loaded.steps).toBe(1);
      });

      it('does not rerun creation hooks when recreating', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1'));
        const loaded = await load('p1');
        expect(loaded.recreated).toBe(true);
        expect(loaded.creationHooksRun).toBe(0);
      });

      it('gives a bundle equal to the bundle of the instance it recreates', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1', { when: new Date(5), tags: new Set(['a']) }));
        const bundle = await persister.loadCheckpoint('p1');
        expect(new Bundle(bundle.unbundle())).toEqual(bundle);
      });

      it('replaces the checkpoint when the same pid and tag are saved again', async () => {
        const probe = new CheckpointProbe('p1');
        await persister.saveCheckpoint(probe, 'tag');
        probe.step();
        probe.step();
        await persister.saveCheckpoint(probe, 'tag');
        expect((await load('p1', 'tag')).steps).toBe(2);
        expect(pairs(await persister.getCheckpoints())).toEqual([['p1', 'tag']]);
      });

      it('carries a revision that grows with every save', async () => {
        const probe = new CheckpointProbe('p1');
        await persister.saveCheckpoint(probe);
        const first = (await persister.loadCheckpoint('p1')).revision;
        await persister.saveCheckpoint(probe);
        await persister.saveCheckpoint(probe, 'other');
        const second = (await persister.loadCheckpoint('p1')).revision;
        const third = (await persister.loadCheckpoint('p1', 'other')).revision;
        expect(second).toBeGreaterThan(first);
        expect(third).toBeGreaterThan(second);
      });

      it('lets a recreated instance keep saving newer checkpoints', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1'));
        const loaded = await load('p1');
        loaded.step();
        await persister.saveCheckpoint(loaded);
        const again = await load('p1');
        again.step();
        await persister.saveCheckpoint(again);
        expect((await load('p1')).steps).toBe(2);
      });

      it('snapshots the process when saveCheckpoint is called, not when it completes', async () => {
        const probe = new CheckpointProbe('p1', { list: ['before'], nested: { value: 'before' } });
        const saving = persister.saveCheckpoint(probe);
        probe.step();
        (probe.values.list as string[]).push('after');
        (probe.values.nested as { value: string }).value = 'after';
        probe.values.added = true;
        await saving;
        const loaded = await load('p1');
        expect(loaded.steps).toBe(0);
        expect(loaded.values).toEqual({ list: ['before'], nested: { value: 'before' } });
      });

      it('is not affected by changes to the saved instance or the loaded one', async () => {
        const probe = new CheckpointProbe('p1', { list: [1] });
        await persister.saveCheckpoint(probe);
        (probe.values.list as number[]).push(2);
        const first = await load('p1');
        (first.values.list as number[]).push(3);
        first.values.extra = 'x';
        expect((await load('p1')).values).toEqual({ list: [1] });
      });

      it('keeps Dates, Maps, Sets, BigInts, undefined and other rich values', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1', richValues()));
        const values = (await load('p1')).values;
        const expected = richValues();
        expect(values).toEqual(expected);
        expect(Object.keys(values)).toEqual(Object.keys(expected));
        expect('undef' in values).toBe(true);
        expect(values.date).toBeInstanceOf(Date);
        expect(values.map).toBeInstanceOf(Map);
        expect(values.set).toBeInstanceOf(Set);
        expect(typeof values.big).toBe('bigint');
        expect(Object.is(values.negZero, -0)).toBe(true);
        expect(Number.isNaN(values.nan)).toBe(true);
        expect(values.regexp).toEqual(/ab+c/giu);
        const error = values.error as Error;
        expect(error).toBeInstanceOf(Error);
        expect(error.name).toBe('CustomFailure');
        expect(error.message).toBe('boom');
        expect((error.cause as Error).message).toBe('root cause');
        expect([...(values.map as Map<unknown, unknown>).keys()]).toEqual(['a', 2, { objectKey: true }]);
      });

      it('rejects a value that is not plain data, naming it, and stores nothing', async () => {
        const probe = new CheckpointProbe('p1', { pending: Promise.resolve(1) });
        const saving = persister.saveCheckpoint(probe);
        await expect(saving).rejects.toThrow(PersistenceError);
        await expect(saving).rejects.toThrow(/values\.pending/);
        probe.values = { fn: () => 1 };
        await expect(persister.saveCheckpoint(probe)).rejects.toThrow(/values\.fn/);
        expect(await persister.getCheckpoints()).toEqual([]);
      });

      it('rejects (does not throw) when the process has no pid', async () => {
        const noPid = { save: () => ({}) } as unknown as Checkpointable;
        let saving: Promise<void> | undefined;
        expect(() => {
          saving = persister.saveCheckpoint(noPid);
        }).not.toThrow();
        await expect(saving).rejects.toThrow(PersistenceError);
      });
    });

    describe('tags', () => {
      it('keeps the untagged checkpoint and tagged ones apart', async () => {
        const probe = new CheckpointProbe('p1');
        await persister.saveCheckpoint(probe);
        probe.step();
        await persister.saveCheckpoint(probe, 'one');
        probe.step();
        await persister.saveCheckpoint(probe, 'two');
        expect((await load('p1')).steps).toBe(0);
        expect((await load('p1', undefined)).steps).toBe(0);
        expect((await load('p1', 'one')).steps).toBe(1);
        expect((await load('p1', 'two')).steps).toBe(2);
      });

      it('lists the untagged checkpoint with tag undefined', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1'));
        const checkpoints = await persister.getCheckpoints();
        expect(checkpoints).toHaveLength(1);
        expect(checkpoints[0]?.pid).toBe('p1');
        expect(checkpoints[0]?.tag).toBeUndefined();
      });

      it('handles pids and tags with separators, dots, spaces, unicode and the empty string', async () => {
        const pids = ['a/b', '..', '.', 'x y', 'ünï-cödé', 'UPPER_lower-1', 'back\\slash', '%41'];
        const tags = [undefined, '', 'a/b', '..', 'dots.in.tag', 'space tag', '✓', '%2F', '__untagged__', 'untagged'];
        for (const [i, pid] of pids.entries()) {
          const probe = new CheckpointProbe(pid, { i });
          for (const tag of tags) await persister.saveCheckpoint(probe, tag);
        }
        const expected = pids.flatMap((pid) => tags.map((tag): Pair => [pid, tag]));
        expect(pairs(await persister.getCheckpoints())).toEqual(pairs(expected.map(([pid, tag]) => ({ pid, tag }))));
        for (const [i, pid] of pids.entries()) {
          expect(pairs(await persister.getProcessCheckpoints(pid))).toEqual(pairs(tags.map((tag) => ({ pid, tag }))));
          for (const tag of tags) expect((await load(pid, tag)).values).toEqual({ i });
        }
      });
    });

    describe('listing', () => {
      it('lists nothing when empty', async () => {
        expect(await persister.getCheckpoints()).toEqual([]);
        expect(await persister.getProcessCheckpoints('nobody')).toEqual([]);
      });

      it('lists every checkpoint of every process', async () => {
        for (let i = 0; i < 12; i += 1) {
          const probe = new CheckpointProbe(`pid-${i}`);
          await persister.saveCheckpoint(probe);
          if (i % 3 === 0) await persister.saveCheckpoint(probe, 'extra');
        }
        const expected: Pair[] = [];
        for (let i = 0; i < 12; i += 1) {
          expected.push([`pid-${i}`, undefined]);
          if (i % 3 === 0) expected.push([`pid-${i}`, 'extra']);
        }
        expect(pairs(await persister.getCheckpoints())).toEqual(pairs(expected.map(([pid, tag]) => ({ pid, tag }))));
      });

      it('lists the checkpoints of one process only', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1'));
        await persister.saveCheckpoint(new CheckpointProbe('p1'), 'a');
        await persister.saveCheckpoint(new CheckpointProbe('p10'), 'b');
        await persister.saveCheckpoint(new CheckpointProbe('p2'));
        expect(pairs(await persister.getProcessCheckpoints('p1'))).toEqual([
          ['p1', 'a'],
          ['p1', undefined],
        ]);
        expect(pairs(await persister.getProcessCheckpoints('p10'))).toEqual([['p10', 'b']]);
      });

      it('compares pids as strings: a numeric pid is listed and loaded as its string', async () => {
        const probe = new CheckpointProbe(42, { n: 1 });
        await persister.saveCheckpoint(probe, 'x');
        expect(pairs(await persister.getCheckpoints())).toEqual([['42', 'x']]);
        expect(pairs(await persister.getProcessCheckpoints('42'))).toEqual([['42', 'x']]);
        expect(pairs(await persister.getProcessCheckpoints(42))).toEqual([['42', 'x']]);
        const bundle = await persister.loadCheckpoint('42', 'x');
        expect(bundle.unbundle<CheckpointProbe>().pid).toBe(42);
        expect((await persister.loadCheckpoint(42, 'x')).unbundle<CheckpointProbe>().values).toEqual({ n: 1 });
        await persister.deleteCheckpoint(42, 'x');
        expect(await persister.getCheckpoints()).toEqual([]);
      });
    });

    describe('missing checkpoints', () => {
      it('rejects with a PersistenceError for an unknown pid', async () => {
        await expect(persister.loadCheckpoint('nobody')).rejects.toThrow(PersistenceError);
      });

      it('rejects with a PersistenceError for an unknown tag of a known pid', async () => {
        await persister.saveCheckpoint(new CheckpointProbe('p1'), 'a');
        await expect(persister.loadCheckpoint('p1')).rejects.toThrow(PersistenceError);
        await expect(persister.loadCheckpoint('p1', 'b')).rejects.toThrow(PersistenceError);
      });
    });

    describe('deletion', () => {
      it('deletes one checkpoint and leaves the others', async () => {
        const probe = new CheckpointProbe('p1');
        await persister.saveCheckpoint(probe);
        await persister.saveCheckpoint(probe, 'a');
        await persister.saveCheckpoint(new CheckpointProbe('p2'));
        await persister.deleteCheckpoint('p1');
        expect(pairs(await persister.getCheckpoints())).toEqual([
          ['p1', 'a'],
          ['p2', undefined],
        ]);
        await persister.deleteCheckpoint('p1', 'a');
        expect(pairs(await persister.getCheckpoints())).toEqual([['p2', undefined]]);
        await expect(persister.loadCheckpoint('p1', 'a')).rejects.toThrow(PersistenceError);
      });

      it('does not fail when the checkpoint does not exist', async () => {
        await expect(persister.deleteCheckpoint('nobody')).resolves.toBeUndefined();
        await expect(persister.deleteCheckpoint('nobody', 'tag')).resolves.toBeUndefined();
        await persister.saveCheckpoint(new CheckpointProbe('p1'));
        await expect(persister.deleteCheckpoint('p1', 'other')).resolves.toBeUndefined();
        expect(pairs(await persister.getCheckpoints())).toEqual([['p1', undefined]]);
      });

      it('deletes every checkpoint of one process', async () => {
        const probe = new CheckpointProbe('p1');
        for (const tag of [undefined, 'a', 'b']) await persister.saveCheckpoint(probe, tag);
        await persister.saveCheckpoint(new CheckpointProbe('p11'), 'a');
        await persister.deleteProcessCheckpoints('p1');
        expect(await persister.getProcessCheckpoints('p1')).toEqual([]);
        expect(pairs(await persister.getCheckpoints())).toEqual([['p11', 'a']]);
        await expect(persister.deleteProcessCheckpoints('nobody')).resolves.toBeUndefined();
      });

      it('can save again after deleting', async () => {
        const probe = new CheckpointProbe('p1');
        await persister.saveCheckpoint(probe);
        await persister.deleteProcessCheckpoints('p1');
        probe.step();
        await persister.saveCheckpoint(probe);
        expect((await load('p1')).steps).toBe(1);
      });
    });

    if (options.fencing === true) {
      describe('revision fencing', () => {
        it('refuses a checkpoint whose revision is not newer than the stored one', async () => {
          const original = new CheckpointProbe('p1');
          await persister.saveCheckpoint(original);
          const copy = await load('p1');
          copy.step();
          await persister.saveCheckpoint(copy);
          original.step();
          original.step();
          original.step();
          const stale = persister.saveCheckpoint(original);
          await expect(stale).rejects.toThrow(ConcurrentModificationError);
          await expect(stale).rejects.toThrow(PersistenceError);
          expect((await load('p1')).steps).toBe(1);
        });

        it('lets exactly one of two copies of a process win when they race', async () => {
          await persister.saveCheckpoint(new CheckpointProbe('p1'));
          const first = await load('p1');
          const second = await load('p1');
          first.values = { writer: 'first' };
          second.values = { writer: 'second' };
          const results = await Promise.allSettled([persister.saveCheckpoint(first), persister.saveCheckpoint(second)]);
          const fulfilled = results.filter((r) => r.status === 'fulfilled');
          const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
          expect(fulfilled).toHaveLength(1);
          expect(rejected).toHaveLength(1);
          expect(rejected[0]).toBeInstanceOf(ConcurrentModificationError);
          const winner = results[0]?.status === 'fulfilled' ? 'first' : 'second';
          expect((await load('p1')).values).toEqual({ writer: winner });
        });

        it('fences each tag separately', async () => {
          const probe = new CheckpointProbe('p1');
          await persister.saveCheckpoint(probe, 'a');
          const copy = await load('p1', 'a');
          await persister.saveCheckpoint(copy, 'b');
          await persister.saveCheckpoint(probe, 'b').then(
            () => Promise.reject(new Error('expected a ConcurrentModificationError')),
            (error: unknown) => expect(error).toBeInstanceOf(ConcurrentModificationError),
          );
          await persister.saveCheckpoint(copy, 'a');
        });

        it('accepts a new checkpoint after the stored one was deleted', async () => {
          const original = new CheckpointProbe('p1');
          await persister.saveCheckpoint(original);
          await persister.saveCheckpoint(original);
          await persister.deleteCheckpoint('p1');
          const fresh = new CheckpointProbe('p1');
          await persister.saveCheckpoint(fresh);
          expect((await persister.loadCheckpoint('p1')).revision).toBe(1);
        });
      });
    }
  });
}
