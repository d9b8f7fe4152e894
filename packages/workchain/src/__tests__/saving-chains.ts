// Work chains for the persistence tests (after plumpy's tests/test_workchains.py).
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { WorkChain, append_, if_, while_, type WorkChainSpec } from '../index.js';

/** plumpy's `Wf`: an if/elif/else, then a loop; every step and condition it ran is recorded in `ctx.ran`. */
export class Wf extends WorkChain<{ value: string; n: number }> {
  static readonly processId = 'workchain-tests/Wf';
  /** How many times `onCreate` ran (a recreated chain does not run it). */
  static created = 0;

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('value', { validType: String, default: 'A' });
    spec.input('n', { validType: Number, default: 3 });
    spec.outputs.dynamic = true;
    spec.outline('s1', if_('isA')('s2').elif_('isB')('s3').else_('s4'), 's5', while_('ltN')('s6'));
  }

  protected override onCreate(): void {
    super.onCreate();
    Wf.created += 1;
    this.ctx.ran = [];
  }

  private record(name: string): void {
    (this.ctx.ran as string[]).push(name);
  }

  s1(): void {
    this.record('s1');
  }
  s2(): void {
    this.record('s2');
  }
  s3(): void {
    this.record('s3');
  }
  s4(): void {
    this.record('s4');
  }
  s5(): void {
    this.ctx.counter = 0;
    this.record('s5');
  }
  s6(): void {
    this.ctx.counter = (this.ctx.counter as number) + 1;
    this.record('s6');
  }
  isA(): boolean {
    this.record('isA');
    return this.inputs.value === 'A';
  }
  isB(): boolean {
    this.record('isB');
    return this.inputs.value === 'B';
  }
  ltN(): boolean {
    const more = (this.ctx.counter as number) < this.inputs.n;
    if (!more) this.record('ltN');
    return more;
  }
}

/** plumpy's `IfTest`: step1 pauses the chain inside an if_ block. */
export class IfTest extends WorkChain {
  static readonly processId = 'workchain-tests/IfTest';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline(if_('condition')('step1', 'step2'));
  }

  protected override onCreate(): void {
    super.onCreate();
    this.ctx.s1 = false;
    this.ctx.s2 = false;
  }

  condition(): boolean {
    return true;
  }

  step1(): void {
    this.ctx.s1 = true;
    void this.pause();
  }

  step2(): void {
    this.ctx.s2 = true;
  }
}

/** Emits `y` = 2 `x`. */
export class Doubler extends Process<{ x: number }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('x', { validType: Number });
    spec.output('y', { validType: Number });
  }

  override run(): void {
    this.out('y', this.inputs.x * 2);
  }
}

/** Launches `n` Doublers one after the other (pids derived from its own) and sums their outputs. */
export class SumOfDoubles extends WorkChain<{ n: number }, { total: number }> {
  static readonly processId = 'workchain-tests/SumOfDoubles';

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number, default: 2 });
    spec.output('total', { validType: Number });
    spec.outline('setup', while_('more')('launchOne'), 'launchPair', 'sum');
  }

  setup(): void {
    this.ctx.i = 0;
  }

  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }

  launchOne(): void {
    const x = (this.ctx.i = (this.ctx.i as number) + 1);
    this.toContext({ ys: append_(this.launch(Doubler, { inputs: { x }, pid: `${String(this.pid)}/doubler-${x}` })) });
  }

  launchPair(): void {
    this.toContext({
      'pair.a': this.launch(Doubler, { inputs: { x: 10 }, pid: `${String(this.pid)}/pair-a` }),
      'pair.b': this.launch(Doubler, { inputs: { x: 20 }, pid: `${String(this.pid)}/pair-b` }),
    });
  }

  sum(): void {
    const ys = (this.ctx.ys as { y: number }[]).map((out) => out.y);
    const pair = this.ctx.pair as { a: { y: number }; b: { y: number } };
    this.out('total', ys.reduce((total, y) => total + y, 0) + pair.a.y + pair.b.y);
  }
}
