/** Processes the controller tests launch and control (plumpy's tests/utils.py, in TypeScript). */
import { ClassRegistry } from '@plumpy-ts/persistence';
import { Kill, Process, Wait, type ProcessSpec } from '@plumpy-ts/process';
import { WorkChain, while_, type WorkChainSpec } from '@plumpy-ts/workchain';

/** Does nothing. */
export class DummyProcess extends Process {
  static processId = 'controllers-test/DummyProcess';
  static readonly EXPECTED_OUTPUTS = {};
  static readonly EXPECTED_STATE_SEQUENCE = ['created', 'running', 'finished'];
}

/** Emits `default: 5`. */
export class DummyProcessWithOutput extends Process {
  static processId = 'controllers-test/DummyProcessWithOutput';
  static readonly EXPECTED_OUTPUTS = { default: 5 };

  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.inputs.dynamic = true;
    spec.outputs.dynamic = true;
    spec.output('default', { validType: Number });
  }

  override run(): void {
    this.out('default', 5);
  }
}

/** Waits until resumed (plumpy's WaitForSignalProcess). */
export class WaitForSignalProcess extends Process {
  static processId = 'controllers-test/WaitForSignalProcess';

  override run(): Wait {
    return new Wait('last');
  }

  last(): void {}
}

/** Doubles its input `a`. */
export class Doubler extends Process<{ a: number }, { doubled: number }> {
  static processId = 'controllers-test/Doubler';

  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number });
    spec.output('doubled', { validType: Number });
  }

  override run(): void {
    this.out('doubled', this.inputs.a * 2);
  }
}

/** Throws in its step. */
export class FailingProcess extends Process {
  static processId = 'controllers-test/FailingProcess';

  override run(): void {
    throw new RangeError('it went wrong on purpose');
  }
}

/** Kills itself. */
export class SelfKillingProcess extends Process {
  static processId = 'controllers-test/SelfKillingProcess';

  override run(): Kill {
    return new Kill('no thanks');
  }
}

/** The tutorial's ControlledWorkChain: counts to `steps + 1`. */
export class CountingWorkChain extends WorkChain<{ steps: number }, { result: number }> {
  static processId = 'controllers-test/CountingWorkChain';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('steps', { validType: Number, default: 10 });
    spec.output('result', { validType: Number });
    spec.outline('initStep', while_('whileStep')('loopStep'), 'finalStep');
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

/**
 * Records which steps ran, in `GatedWorkChain.executions` (by pid); step `s2`
 * waits for `GatedWorkChain.gate` when one is set (an async step), so a test
 * can hold the chain in the middle.
 */
export class GatedWorkChain extends WorkChain<Record<string, never>, { trace: string[] }> {
  static processId = 'controllers-test/GatedWorkChain';
  static executions = new Map<string, string[]>();
  static gate: Promise<void> | undefined = undefined;

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.output('trace', { validType: Array });
    spec.outline('s1', 's2', 's3');
  }

  private record(step: string): void {
    const pid = String(this.pid);
    const list = GatedWorkChain.executions.get(pid) ?? [];
    list.push(step);
    GatedWorkChain.executions.set(pid, list);
    this.ctx.trace = [...((this.ctx.trace as string[] | undefined) ?? []), step];
  }

  s1(): void {
    this.record('s1');
  }

  async s2(): Promise<void> {
    const gate = GatedWorkChain.gate;
    if (gate !== undefined) await gate;
    this.record('s2');
  }

  s3(): void {
    this.record('s3');
    this.out('trace', this.ctx.trace);
  }
}

/** `iterations` async steps of `delayMs` each; outputs `count`. Slow enough to be paused and killed. */
export class SlowWorkChain extends WorkChain<{ iterations: number; delayMs: number }, { count: number }> {
  static processId = 'controllers-test/SlowWorkChain';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('iterations', { validType: Number, default: 20 });
    spec.input('delayMs', { validType: Number, default: 10 });
    spec.output('count', { validType: Number });
    spec.outline('start', while_('more')('tick'), 'done');
  }

  start(): void {
    this.ctx.count = 0;
  }

  more(): boolean {
    return (this.ctx.count as number) < this.inputs.iterations;
  }

  async tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.inputs.delayMs));
    this.ctx.count = (this.ctx.count as number) + 1;
  }

  done(): void {
    this.out('count', this.ctx.count);
  }
}

/** Waits until resumed with a number; outputs it doubled. */
export class SignalledChild extends Process<Record<string, never>, { doubled: number }> {
  static processId = 'controllers-test/SignalledChild';

  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.output('doubled', { validType: Number });
  }

  override run(): Wait {
    return new Wait('finish');
  }

  finish(value: number): void {
    this.out('doubled', value * 2);
  }
}

/** Launches a SignalledChild (pid `<own pid>-child`) and waits for it; outputs what it put into ctx. */
export class ParentOfSignalled extends WorkChain<Record<string, never>, { child: unknown }> {
  static processId = 'controllers-test/ParentOfSignalled';

  /** The pid of the child of the parent `pid`. */
  static childPid(pid: string | number): string {
    return `${String(pid)}-child`;
  }

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.output('child', { validType: Object });
    spec.outline('launchChild', 'report');
  }

  launchChild(): void {
    this.toContext({ child: this.launch(SignalledChild, { pid: ParentOfSignalled.childPid(this.pid) }) });
  }

  report(): void {
    this.out('child', this.ctx.child);
  }
}

for (const cls of [
  SignalledChild,
  ParentOfSignalled,
  DummyProcess,
  DummyProcessWithOutput,
  WaitForSignalProcess,
  Doubler,
  FailingProcess,
  SelfKillingProcess,
  CountingWorkChain,
  GatedWorkChain,
  SlowWorkChain,
]) {
  ClassRegistry.default.register(cls);
}

/**
 * Ticks (async steps of `delayMs`) until it has ticked `minTicks` times and the
 * test released it (`TickingWorkChain.released`), at most `maxTicks` times;
 * outputs `ticks`. Every tick is logged in `TickingWorkChain.log` with the
 * communicator of the copy that ran it, so a test can count executions.
 */
export class TickingWorkChain extends WorkChain<
  { minTicks: number; maxTicks: number; delayMs: number },
  { ticks: number }
> {
  static processId = 'controllers-test/TickingWorkChain';
  static log: { pid: string; tick: number; communicator: unknown }[] = [];
  static released = new Set<string>();

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('minTicks', { validType: Number, default: 5 });
    spec.input('maxTicks', { validType: Number, default: 600 });
    spec.input('delayMs', { validType: Number, default: 100 });
    spec.output('ticks', { validType: Number });
    spec.outline('start', while_('more')('tick'), 'done');
  }

  start(): void {
    this.ctx.ticks = 0;
  }

  more(): boolean {
    const ticks = this.ctx.ticks as number;
    if (ticks < this.inputs.minTicks) return true;
    return !TickingWorkChain.released.has(String(this.pid)) && ticks < this.inputs.maxTicks;
  }

  async tick(): Promise<void> {
    const tick = this.ctx.ticks as number;
    TickingWorkChain.log.push({ pid: String(this.pid), tick, communicator: this.communicator });
    await new Promise((resolve) => setTimeout(resolve, this.inputs.delayMs));
    this.ctx.ticks = tick + 1;
  }

  done(): void {
    this.out('ticks', this.ctx.ticks);
  }
}
