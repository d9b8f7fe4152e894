/**
 * Tutorial part 9 (shared/contract/tutorial.md, "Persistence"), written as in
 * the examples package (examples/src/tutorial/part09-persistence.ts), must
 * print exactly what the tutorial shows.
 */
import { InMemoryPersister } from '@plumpy-ts/persistence';
import { describe, expect, it } from 'vitest';
import { WorkChain, type WorkChainSpec } from './index.js';
import { captureOutput } from './__tests__/capture-output.js';

const persister = new InMemoryPersister();

class PersistWorkChain extends WorkChain {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('initStep', 'step2', 'step3');
  }

  async initStep(): Promise<void> {
    this.ctx.step = 1;
    await persister.saveCheckpoint(this, 'init');
  }

  async step2(): Promise<void> {
    this.ctx.step = (this.ctx.step as number) + 1;
    await persister.saveCheckpoint(this, 'step2');
  }

  async step3(): Promise<void> {
    this.ctx.step = (this.ctx.step as number) + 1;
    await persister.saveCheckpoint(this, 'step3');
  }
}

async function main(): Promise<PersistWorkChain> {
  const wc = new PersistWorkChain();
  await wc.execute();
  console.log(wc.ctx);
  console.log((await persister.getCheckpoints()).map((c) => c.tag));
  const restored = (await persister.loadCheckpoint(String(wc.pid), 'step2')).unbundle<PersistWorkChain>();
  console.log(restored.ctx);
  return restored;
}

describe('tutorial part 9: persistence', () => {
  it('prints the context, the checkpoint tags and the context of the chain restored from step2', async () => {
    let restored: PersistWorkChain | undefined;
    const lines = await captureOutput(async () => {
      restored = await main();
    });
    expect(lines).toEqual(['{ step: 3 }', "[ 'init', 'step2', 'step3' ]", '{ step: 2 }']);

    // The chain restored from the checkpoint taken inside step2 is at step2,
    // which it runs again: step goes 2 → 3, then step3 makes it 4.
    expect(restored!.stepperPosition).toBe('1:step2');
    await restored!.execute();
    expect(restored!.ctx).toEqual({ step: 4 });
    expect((await persister.loadCheckpoint(String(restored!.pid), 'step3')).state.ctx).toEqual({ step: 4 });
  });
});
