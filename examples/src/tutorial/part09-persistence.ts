/** Tutorial part 9: checkpoints of a work chain, and recreating it from one. */
import * as plumpy from 'plumpy-ts';

const persister = new plumpy.InMemoryPersister();

export class PersistWorkChain extends plumpy.WorkChain {
  static override define(spec: plumpy.WorkChainSpec): void {
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

export async function main(): Promise<void> {
  const wc = new PersistWorkChain();
  await wc.execute();
  console.log(wc.ctx);
  console.log((await persister.getCheckpoints()).map((c) => c.tag));
  const restored = (await persister.loadCheckpoint(String(wc.pid), 'step2')).unbundle<PersistWorkChain>();
  console.log(restored.ctx);
}
