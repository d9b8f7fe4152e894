// The work chain of the end-to-end test: shared by the worker OS processes
// (built packages) and the test (which reads the outcomes from checkpoints).
import { ClassRegistry } from '@plumpy-ts/persistence';
import { WorkChain, while_ } from '@plumpy-ts/workchain';

/** Adds 1..n, one async step of `delayMs` per term; outputs `{ total, n }`. */
export class SummingWorkChain extends WorkChain {
  static processId = 'controllers-e2e/SummingWorkChain';

  static define(spec) {
    super.define(spec);
    spec.input('n', { validType: Number });
    spec.input('delayMs', { validType: Number, default: 5 });
    spec.output('total', { validType: Number });
    spec.output('n', { validType: Number });
    spec.outline('start', while_('more')('add'), 'finish');
  }

  start() {
    this.ctx.i = 0;
    this.ctx.total = 0;
  }

  more() {
    return this.ctx.i < this.inputs.n;
  }

  async add() {
    await new Promise((resolve) => setTimeout(resolve, this.inputs.delayMs));
    this.ctx.i += 1;
    this.ctx.total += this.ctx.i;
  }

  finish() {
    this.out('total', this.ctx.total);
    this.out('n', this.inputs.n);
  }
}

/** Launches a SummingWorkChain (pid `<own pid>-child`) with its inputs and waits for it; outputs `{ child }`. */
export class ParentOfSumming extends WorkChain {
  static processId = 'controllers-e2e/ParentOfSumming';

  static define(spec) {
    super.define(spec);
    spec.input('n', { validType: Number });
    spec.input('delayMs', { validType: Number, default: 5 });
    spec.output('child', { validType: Object });
    spec.outline('launchChild', 'report');
  }

  launchChild() {
    const inputs = { n: this.inputs.n, delayMs: this.inputs.delayMs };
    this.toContext({ child: this.launch(SummingWorkChain, { inputs, pid: `${this.pid}-child` }) });
  }

  report() {
    this.out('child', this.ctx.child);
  }
}

ClassRegistry.default.register(SummingWorkChain);
ClassRegistry.default.register(ParentOfSumming);
