import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LocalCommunicator } from '@plumpy-ts/communicator';
import { Bundle, LoadSaveContext } from '@plumpy-ts/persistence';
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

  it('leaves the heap flat after 20k processes executed on a communicator', async () => {
    const communicator = new LocalCommunicator();
    const run = async (i: number): Promise<void> => {
      await new Trivial({ inputs: { a: i }, communicator }).execute();
    };
    for (let i = 0; i < 1000; i += 1) await run(i);
    await settle();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20_000; i += 1) await run(i);
    await settle();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(3 * 2 ** 20);
    await communicator.close();
  });

  it('lets terminated processes on a communicator be collected (run, killed remotely, recreated)', async () => {
    const communicator = new LocalCommunicator();
    const refs: WeakRef<Process>[] = [];
    await (async () => {
      const executed = new Trivial({ inputs: { a: 1 }, communicator });
      await executed.execute();
      const waiting = new Waits({ communicator });
      const driving = waiting.stepUntilTerminated();
      await new Promise((resolve) => setImmediate(resolve));
      await communicator.rpcSend(String(waiting.pid), { intent: 'kill', message: null });
      await driving;
      const saved = new Waits();
      const savedDriving = saved.stepUntilTerminated();
      await new Promise((resolve) => setImmediate(resolve));
      const recreated = new Bundle(saved).unbundle<Waits>(new LoadSaveContext({ communicator }));
      const recreatedDriving = recreated.stepUntilTerminated();
      recreated.resume();
      await recreatedDriving;
      saved.resume();
      await savedDriving;
      for (const p of [executed, waiting, saved, recreated]) refs.push(new WeakRef(p));
    })();
    await settle();
    expect(refs.map((r) => r.deref())).toEqual([undefined, undefined, undefined, undefined]);
    await communicator.close();
  });
});
