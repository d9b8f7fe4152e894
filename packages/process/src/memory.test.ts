import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Process, Wait, type ProcessSpec } from './index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Trivial extends Process<{ a: number }, { x: number }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number });
    spec.output('x', { validType: Number });
  }
  override run(): void {
    this.out('x', 1);
  }
}

class Waits extends Process {
  override async run(): Promise<Wait> {
    await Promise.resolve();
    return new Wait(this.done);
  }
  done(): void {}
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

describe('terminated processes hold nothing alive', () => {
  it('leaves the heap flat after 100k executed processes', async () => {
    for (let i = 0; i < 2000; i += 1) await new Trivial({ inputs: { a: i } }).execute();
    await settle();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i += 1) await new Trivial({ inputs: { a: i } }).execute();
    await settle();
    const grown = process.memoryUsage().heapUsed - before;
    // 100k processes of several hundred bytes each would be tens of MB.
    expect(grown).toBeLessThan(3 * 2 ** 20);
  });

  it('lets a terminated process (waited, paused, killed, launched) be collected', async () => {
    const refs: WeakRef<Process>[] = [];
    const registry = new FinalizationRegistry<string>(() => {});
    await (async () => {
      const waited = new Waits();
      const done = waited.execute();
      await new Promise((resolve) => setImmediate(resolve));
      waited.resume();
      await done;
      const paused = new Waits();
      const driving = paused.stepUntilTerminated();
      await paused.pause();
      await paused.kill();
      await driving;
      class Parent extends Process {
        override run(): Promise<unknown> {
          return this.launch(Trivial, { inputs: { a: 1 } }).future();
        }
      }
      const parent = new Parent();
      await parent.execute();
      for (const p of [waited, paused, parent]) {
        refs.push(new WeakRef(p));
        registry.register(p, p.getName());
      }
    })();
    await settle();
    expect(refs.map((r) => r.deref())).toEqual([undefined, undefined, undefined]);
  });
});
