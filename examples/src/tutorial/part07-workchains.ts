/** Tutorial part 7: work chains with an outline, if_ and while_. */
import * as plumpy from 'plumpy-ts';

export class SimpleWorkChain extends plumpy.WorkChain {
  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.outline('step1', 'step2');
  }

  step1(): void {
    console.log('step1');
  }

  step2(): void {
    console.log('step2');
  }
}

export class IfWorkChain extends plumpy.WorkChain<{ run: boolean }> {
  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.input('run', { validType: Boolean });
    spec.outline(plumpy.if_('ifStep')('conditionalStep'));
  }

  ifStep(): boolean {
    console.log('  if');
    return this.inputs.run;
  }

  conditionalStep(): void {
    console.log('  conditional');
  }
}

export class WhileWorkChain extends plumpy.WorkChain<{ steps: number }> {
  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.input('steps', { validType: Number, default: 3 });
    spec.outline('initStep', plumpy.while_('whileStep')('conditionalStep'));
  }

  initStep(): void {
    this.ctx.iterator = 0;
  }

  whileStep(): boolean {
    this.ctx.iterator = (this.ctx.iterator as number) + 1;
    return (this.ctx.iterator as number) <= this.inputs.steps;
  }

  conditionalStep(): void {
    console.log('step', this.ctx.iterator);
  }
}

export async function main(): Promise<void> {
  await new SimpleWorkChain().execute();

  console.log('execute False');
  await new IfWorkChain({ inputs: { run: false } }).execute();
  console.log('execute True');
  await new IfWorkChain({ inputs: { run: true } }).execute();

  await new WhileWorkChain().execute();
}
