// A work chain that waits for one child, shared by the tests of chains recreated while they wait.
import { WorkChain, type WorkChainSpec } from '../index.js';
import { WaitingChild } from './processes.js';

/** Launches one WaitingChild (pid `<own pid>/child`), then emits what it put into ctx. */
export class ParentChain extends WorkChain {
  static readonly processId: string = 'workchain-tests/ParentChain';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outputs.dynamic = true;
    spec.outline('launchChild', 'report');
  }

  launchChild(): void {
    this.toContext({ child: this.launch(WaitingChild, { pid: `${String(this.pid)}/child` }) });
  }

  report(): void {
    this.out('child', this.ctx.child);
  }

  /** The child it launched. */
  get child(): WaitingChild {
    return this.runningChildren[0] as WaitingChild;
  }
}
