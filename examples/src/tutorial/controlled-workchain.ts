/** The work chain that tutorial part 10 launches through a controller (shared by the client and the worker). */
import * as plumpy from 'plumpy-ts';

export class ControlledWorkChain extends plumpy.WorkChain<{ steps: number }> {
  /** The stable identifier under which workers know this class. */
  static processId = 'tutorial/ControlledWorkChain';

  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.input('steps', { validType: Number, default: 10 });
    spec.output('result', { validType: Number });
    spec.outline('initStep', plumpy.while_('whileStep')('loopStep'), 'finalStep');
  }

  initStep(): void {
    this.ctx.iterator = 0;
  }

  whileStep(): boolean {
    return (this.ctx.iterator as number) <= this.inputs.steps;
  }

  loopStep(): void {
    this.ctx.iterator = (this.ctx.iterator as number) + 1;
  }

  finalStep(): void {
    this.out('result', this.ctx.iterator);
  }
}

/** A process that does nothing; part 10 asks it for its status. */
export class SimpleProcess extends plumpy.Process {}

plumpy.ClassRegistry.default.register(ControlledWorkChain);
