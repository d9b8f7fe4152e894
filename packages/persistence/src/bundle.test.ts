import { describe, expect, it } from 'vitest';
import { Bundle } from './bundle.js';
import { BUNDLE_VERSION } from './bundle-data.js';
import { ClassRegistry } from './class-registry.js';
import { PersistenceError, UnknownClassError } from './errors.js';
import { LoadSaveContext } from './load-save-context.js';
import { checkpointRevision } from './revision.js';
import type { SavedState } from './savable.js';

/** A savable with a creation hook, nested data and a state machine-like label. */
class Counter {
  static created = 0;
  pid: string;
  count: number;
  history: number[];
  label: 'idle' | 'counting' | 'done';
  seenContext: LoadSaveContext | undefined;

  constructor(pid: string) {
    this.pid = pid;
    this.count = 0;
    this.history = [];
    this.label = 'idle';
    Counter.created += 1;
  }

  increment(): void {
    this.count += 1;
    this.history.push(this.count);
    this.label = 'counting';
  }

  save(): SavedState {
    return { pid: this.pid, count: this.count, history: this.history, label: this.label };
  }

  static recreateFromSavedState(state: SavedState, context: LoadSaveContext): Counter {
    const counter = Object.create(Counter.prototype) as Counter;
    counter.pid = state.pid as string;
    counter.count = state.count as number;
    counter.history = state.history as number[];
    counter.label = state.label as Counter['label'];
    counter.seenContext = context;
    return counter;
  }
}

class NotRecreatable {
  save(): SavedState {
    return {};
  }
}

describe('Bundle', () => {
  it('is plain data naming the class, pid, revision and state', () => {
    const counter = new Counter('c1');
    counter.increment();
    const bundle = new Bundle(counter);
    expect(bundle.toData()).toEqual({
      format: 'plumpy-ts.bundle',
      version: BUNDLE_VERSION,
      classId: 'Counter',
      pid: 'c1',
      revision: 0,
      state: { pid: 'c1', count: 1, history: [1], label: 'counting' },
    });
    expect(Object.isFrozen(bundle)).toBe(true);
    expect(Object.keys(bundle)).toEqual(['format', 'version', 'classId', 'pid', 'revision', 'state']);
  });

  it('registers the class automatically when it is first bundled', () => {
    class FirstBundled {
      save(): SavedState {
        return {};
      }
    }
    expect(ClassRegistry.default.isRegistered(FirstBundled)).toBe(false);
    new Bundle(new FirstBundled());
    expect(ClassRegistry.default.load('FirstBundled')).toBe(FirstBundled);
  });

  it('unbundles savables saved in every state to instances that behave the same', () => {
    for (const steps of [0, 1, 5]) {
      const counter = new Counter('c1');
      for (let i = 0; i < steps; i += 1) counter.increment();
      const recreated = new Bundle(counter).unbundle<Counter>();
      expect(recreated).toBeInstanceOf(Counter);
      expect(recreated.save()).toEqual(counter.save());
      recreated.increment();
      counter.increment();
      expect(recreated.save()).toEqual(counter.save());
    }
  });

  it('does not rerun the constructor when recreating', () => {
    const bundle = new Bundle(new Counter('c1'));
    const before = Counter.created;
    bundle.unbundle();
    expect(Counter.created).toBe(before);
  });

  it('gives an equal bundle after bundle, unbundle, bundle', () => {
    const counter = new Counter('c1');
    counter.increment();
    const bundle = new Bundle(counter);
    expect(new Bundle(bundle.unbundle())).toEqual(bundle);
  });

  it('snapshots the state when created', () => {
    const counter = new Counter('c1');
    const bundle = new Bundle(counter);
    counter.increment();
    expect(bundle.state).toEqual({ pid: 'c1', count: 0, history: [], label: 'idle' });
  });

  it('hands each unbundled instance its own copy of the state', () => {
    const counter = new Counter('c1');
    counter.increment();
    const bundle = new Bundle(counter);
    const first = bundle.unbundle<Counter>();
    first.increment();
    const second = bundle.unbundle<Counter>();
    expect(second.history).toEqual([1]);
    expect(bundle.state.history).toEqual([1]);
  });

  it('passes the load context to the class', () => {
    const context = new LoadSaveContext({ communicator: 'comm' });
    const recreated = new Bundle(new Counter('c1')).unbundle<Counter>(context);
    expect(recreated.seenContext?.get('communicator')).toBe('comm');
  });

  it('names classes through the context loader', () => {
    const registry = new ClassRegistry();
    registry.register(Counter, 'app/Counter');
    const context = new LoadSaveContext({ loader: registry });
    const bundle = new Bundle(new Counter('c1'), context);
    expect(bundle.classId).toBe('app/Counter');
    expect(bundle.unbundle(context)).toBeInstanceOf(Counter);
    expect(() => bundle.unbundle()).toThrow(UnknownClassError);
  });

  it('refuses a class the loader does not know, and a class that cannot recreate', () => {
    const data = { ...new Bundle(new Counter('c1')).toData(), classId: 'not/registered' };
    expect(() => Bundle.fromData(data).unbundle()).toThrow(UnknownClassError);
    const bundle = new Bundle(new NotRecreatable());
    expect(() => bundle.unbundle()).toThrow(/recreateFromSavedState/);
  });

  it('checks the format and version of data', () => {
    const data = new Bundle(new Counter('c1')).toData();
    expect(() => Bundle.fromData({ ...data, version: 99 }, 'the test bundle')).toThrow(
      /the test bundle has bundle version 99.*reads version 1/,
    );
    expect(() => Bundle.fromData({ ...data, format: 'other' } as never)).toThrow(/not a plumpy-ts bundle/);
    expect(() => Bundle.fromData({ ...data, revision: 'x' } as never)).toThrow(PersistenceError);
  });

  it('refuses to unbundle data given to fromData whose state is not plain data', () => {
    const data = new Bundle(new Counter('c1')).toData();
    const bundle = Bundle.fromData({ ...data, state: { ...data.state, extra: { fn: () => 1 } } });
    expect(() => bundle.unbundle()).toThrow(/state\.extra\.fn/);
  });

  it('unbundles one bundle many times into instances that share no state', () => {
    const bundle = new Bundle(new Counter('c1'));
    const first = bundle.unbundle<Counter>();
    const second = bundle.unbundle<Counter>();
    expect(second).not.toBe(first);
    first.history.push(5);
    expect(second.history).toEqual([]);
    expect(bundle.unbundle<Counter>().history).toEqual([]);
    expect(new Bundle(second)).toEqual(bundle);
    expect(bundle.state).toEqual(new Bundle(new Counter('c1')).state);
  });

  it('refuses a state that is not plain data, naming the path', () => {
    const counter = new Counter('c1');
    counter.history = [1, (() => 2) as unknown as number];
    expect(() => new Bundle(counter)).toThrow(/state\.history\[1\].*function/);
  });

  it('refuses a savable whose save() does not return an object', () => {
    const odd = { save: () => 42 } as never;
    expect(() => new Bundle(odd)).toThrow(/must return a plain object/);
  });

  describe('revisions', () => {
    it('does not change the revision when bundling', () => {
      const counter = new Counter('c1');
      new Bundle(counter);
      new Bundle(counter);
      expect(checkpointRevision(counter)).toBe(0);
    });

    it('advances the revision with every checkpoint', () => {
      const counter = new Counter('c1');
      expect(Bundle.checkpoint(counter).revision).toBe(1);
      expect(Bundle.checkpoint(counter).revision).toBe(2);
      expect(checkpointRevision(counter)).toBe(2);
      expect(new Bundle(counter).revision).toBe(2);
    });

    it('starts a recreated instance at its bundle revision', () => {
      const counter = new Counter('c1');
      Bundle.checkpoint(counter);
      const bundle = Bundle.checkpoint(counter);
      const recreated = bundle.unbundle<Counter>();
      expect(checkpointRevision(recreated)).toBe(2);
      expect(Bundle.checkpoint(recreated).revision).toBe(3);
    });

    it('keeps the revision out of sight: no own enumerable key, nothing in JSON', () => {
      const counter = new Counter('c1');
      const keys = Object.keys(counter);
      Bundle.checkpoint(counter).unbundle<Counter>();
      expect(Object.keys(counter)).toEqual(keys);
      expect(JSON.stringify(counter)).not.toMatch(/revision/i);
      expect(checkpointRevision(counter)).toBe(1);
    });

    it('tracks the revision of frozen and non-extensible instances too', () => {
      const frozen = Object.freeze(new Counter('f1'));
      expect(Bundle.checkpoint(frozen).revision).toBe(1);
      expect(Bundle.checkpoint(frozen).revision).toBe(2);
      expect(checkpointRevision(frozen)).toBe(2);
      const sealed = Object.preventExtensions(new Counter('s1'));
      expect(Bundle.checkpoint(sealed).revision).toBe(1);
      expect(checkpointRevision(sealed)).toBe(1);
      const later = new Counter('l1');
      Bundle.checkpoint(later);
      Object.freeze(later); // frozen after its first checkpoint
      expect(Bundle.checkpoint(later).revision).toBe(2);
      expect(Bundle.checkpoint(later).revision).toBe(3);
      expect(checkpointRevision(later)).toBe(3);
    });

    it('requires a pid to checkpoint', () => {
      expect(() => Bundle.checkpoint(new NotRecreatable() as never)).toThrow(/has no pid/);
    });
  });
});
