// Ports of plumpy's tests/test_workchains.py (TestContext, TestWorkchain,
// TestImmutableInputWorkchain).
import { describe, expect, it } from 'vitest';
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { AwaitableFailedError, WorkChain, WorkChainSpec, if_, return_, while_ } from './index.js';
import { ExceptionProcess } from './__tests__/processes.js';

type Steps = Record<string, boolean>;

/** plumpy's `Wf`: s1, if_(isA)(s2).elif_(isB)(s3).else_(s4), s5, while_(ltN)(s6). */
class Wf extends WorkChain<{ value: string; n: number }> {
  static finishedSteps: Steps = {};

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('value', { default: 'A' });
    spec.input('n', { default: 3 });
    spec.outputs.dynamic = true;
    spec.outline(
      this.prototype.s1,
      if_(this.prototype.isA)(this.prototype.s2).elif_(this.prototype.isB)(this.prototype.s3).else_(this.prototype.s4),
      this.prototype.s5,
      while_(this.prototype.ltN)(this.prototype.s6),
    );
  }

  protected override onCreate(): void {
    super.onCreate();
    Wf.finishedSteps = Object.fromEntries(['s1', 's2', 's3', 's4', 's5', 's6', 'isA', 'isB', 'ltN'].map((s) => [s, false]));
  }

  s1(): void {
    this.setFinished('s1');
  }

  s2(): void {
    this.setFinished('s2');
  }

  s3(): void {
    this.setFinished('s3');
  }

  s4(): void {
    this.setFinished('s4');
  }

  s5(): void {
    this.ctx.counter = 0;
    this.setFinished('s5');
  }

  s6(): void {
    this.ctx.counter = (this.ctx.counter as number) + 1;
    this.setFinished('s6');
  }

  isA(): boolean {
    this.setFinished('isA');
    return this.inputs.value === 'A';
  }

  isB(): boolean {
    this.setFinished('isB');
    return this.inputs.value === 'B';
  }

  ltN(): boolean {
    const keepLooping = (this.ctx.counter as number) < this.inputs.n;
    if (!keepLooping) this.setFinished('ltN');
    return keepLooping;
  }

  private setFinished(step: string): void {
    Wf.finishedSteps[step] = true;
  }
}

class DummyWc extends WorkChain {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.outline('doNothing');
  }

  doNothing(): void {}
}

function notRun(steps: Steps): string[] {
  return Object.entries(steps)
    .filter(([, finished]) => !finished)
    .map(([step]) => step)
    .sort();
}

describe('context', () => {
  it('takes attributes, which can be deleted', () => {
    const wc = new DummyWc();
    wc.ctx.newAttr = 5;
    expect(wc.ctx.newAttr).toBe(5);
    delete wc.ctx.newAttr;
    expect(wc.ctx.newAttr).toBeUndefined();
    expect('newAttr' in wc.ctx).toBe(false);
  });

  it('takes keys, which can be deleted', () => {
    const wc = new DummyWc();
    wc.ctx['new_attr'] = 5;
    expect(wc.ctx['new_attr']).toBe(5);
    delete wc.ctx['new_attr'];
    expect(Object.keys(wc.ctx)).toEqual([]);
  });

  it('is a plain object that starts empty', () => {
    const wc = new DummyWc();
    expect(Object.getPrototypeOf(wc.ctx)).toBe(Object.prototype);
    expect(JSON.stringify(wc.ctx)).toBe('{}');
  });
});

describe('work chain runs', () => {
  it('takes the if_ branch, then loops', async () => {
    const wf = new Wf({ inputs: { value: 'A', n: 3 } });
    await wf.execute();
    expect(notRun(Wf.finishedSteps)).toEqual(['isB', 's3', 's4']);
    expect(wf.ctx.counter).toBe(3);
  });

  it('takes the elif_ branch', async () => {
    await new Wf({ inputs: { value: 'B', n: 3 } }).execute();
    expect(notRun(Wf.finishedSteps)).toEqual(['s2', 's4']);
  });

  it('takes the else_ branch', async () => {
    await new Wf({ inputs: { value: 'C', n: 3 } }).execute();
    expect(notRun(Wf.finishedSteps)).toEqual(['s2', 's3']);
  });

  it('skips a while_ whose condition is false at once', async () => {
    const wf = new Wf({ inputs: { value: 'A', n: 0 } });
    await wf.execute();
    expect(Wf.finishedSteps.s6).toBe(false);
    expect(wf.ctx.counter).toBe(0);
  });

  it('gives the same input value to two ports', async () => {
    const seen: unknown[] = [];
    class TwoInputs extends WorkChain<{ a: number; b: number }> {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.input('a', { validType: Number });
        spec.input('b', { validType: Number });
        spec.outline('checkAB');
      }

      checkAB(): void {
        seen.push(this.inputs.a, this.inputs.b);
      }
    }
    const x = 1;
    await new TwoInputs({ inputs: { a: x, b: x } }).execute();
    expect(seen).toEqual([1, 1]);
  });

  it('finishes successfully with no result', async () => {
    const wc = new DummyWc();
    await wc.execute();
    expect(wc.state).toBe('finished');
    expect(wc.isSuccessful).toBe(true);
    expect(wc.exitStatus).toBe(0);
    expect(wc.result()).toBeUndefined();
  });

  it('runs async steps to completion before moving on', async () => {
    const order: string[] = [];
    class AsyncSteps extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('first', 'second');
      }

      async first(): Promise<void> {
        await Promise.resolve();
        order.push(`first ${this.stepperPosition}`);
      }

      second(): void {
        order.push(`second ${this.stepperPosition}`);
      }
    }
    await new AsyncSteps().execute();
    expect(order).toEqual(['first 0:first', 'second 1:second']);
  });
});

describe('the context between steps', () => {
  const A = 'a';
  const B = 'b';

  class ReturnA extends Process {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.output('res');
    }

    override async run(): Promise<void> {
      await Promise.resolve();
      this.out('res', A);
    }
  }

  class ReturnB extends Process {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.output('res');
    }

    override run(): void {
      this.out('res', B);
    }
  }

  it("holds children's outputs, and a later toContext overwrites a key", async () => {
    const seen: unknown[] = [];
    class Wf2 extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('s1', 's2', 's3');
      }

      s1(): void {
        this.toContext({ r1: this.launch(ReturnA), r2: this.launch(ReturnB) });
      }

      s2(): void {
        seen.push(structuredClone(this.ctx));
        // Try overwriting r1
        this.toContext({ r1: this.launch(ReturnB) });
      }

      s3(): void {
        seen.push(structuredClone(this.ctx));
      }
    }
    const wc = new Wf2();
    await wc.execute();
    expect(seen).toEqual([
      { r1: { res: A }, r2: { res: B } },
      { r1: { res: B }, r2: { res: B } },
    ]);
  });

  it('takes toContext twice in one step', async () => {
    const val = 5;
    class SimpleWc extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.output('_return');
      }

      override run(): void {
        this.out('_return', val);
      }
    }
    class Workchain extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('begin', 'check');
      }

      begin(): void {
        this.toContext({ resultA: this.launch(SimpleWc) });
        this.toContext({ resultB: this.launch(SimpleWc) });
      }

      check(): void {
        this.out('a', (this.ctx.resultA as { _return: number })._return);
        this.out('b', (this.ctx.resultB as { _return: number })._return);
      }

      static override createSpec(): WorkChainSpec {
        const spec = super.createSpec();
        spec.outputs.dynamic = true;
        return spec;
      }
    }
    expect(await new Workchain().execute()).toEqual({ a: val, b: val });
  });

  it('schedules a child work chain whose step is named run', async () => {
    class SubWorkChain extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
        spec.outline('run');
      }

      override async run(): Promise<void> {
        await Promise.resolve();
        this.out('value', 5);
      }
    }
    class MainWorkChain extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('run', 'check');
        spec.outputs.dynamic = true;
      }

      override run(): void {
        this.toContext({ subwc: this.launch(SubWorkChain) });
      }

      check(): void {
        this.out('value', (this.ctx.subwc as { value: number }).value);
      }
    }
    expect(await new MainWorkChain().execute()).toEqual({ value: 5 });
  });
});

describe('ending the outline early', () => {
  class WcWithReturn extends WorkChain<{ success: boolean }> {
    static readonly FAILED_CODE = 1;

    static override define(spec: WorkChainSpec): void {
      super.define(spec);
      spec.input('success', { validType: Boolean, required: false });
      spec.outline(
        'stepOne',
        if_('doSuccess')(return_).elif_('doFailed')(return_(WcWithReturn.FAILED_CODE)).else_('default'),
      );
    }

    stepOne(): void {}

    doSuccess(): boolean {
      return 'success' in this.inputs && this.inputs.success === true;
    }

    doFailed(): boolean {
      return 'success' in this.inputs && this.inputs.success === false;
    }

    default(): void {
      throw new RangeError('Should already have returned');
    }
  }

  it('return_ in the outline finishes successfully', async () => {
    const wc = new WcWithReturn({ inputs: { success: true } });
    await wc.execute();
    expect(wc.isSuccessful).toBe(true);
    expect(wc.exitStatus).toBe(0);
  });

  it('return_(code) in the outline finishes with that exit status', async () => {
    const wc = new WcWithReturn({ inputs: { success: false } });
    await wc.execute();
    expect(wc.state).toBe('finished');
    expect(wc.exitStatus).toBe(1);
    expect(wc.isSuccessful).toBe(false);
  });

  it('without a return the outline goes on (and here raises)', async () => {
    const wc = new WcWithReturn();
    await expect(wc.execute()).rejects.toThrow('Should already have returned');
    expect(wc.state).toBe('excepted');
  });

  class WcReturnInStep extends WorkChain<{ success: boolean }> {
    static readonly FAILED_CODE = 1;

    static override define(spec: WorkChainSpec): void {
      super.define(spec);
      spec.input('success', { validType: Boolean, required: false });
      spec.outline('stepOne', 'after');
    }

    stepOne(): number | undefined {
      if (!('success' in this.inputs)) return undefined;
      return this.inputs.success ? 0 : WcReturnInStep.FAILED_CODE;
    }

    after(): void {
      throw new RangeError('Should already have returned');
    }
  }

  it('a step returning 0 ends the chain successfully', async () => {
    const wc = new WcReturnInStep({ inputs: { success: true } });
    await wc.execute();
    expect(wc.isSuccessful).toBe(true);
    expect(wc.exitStatus).toBe(0);
  });

  it('a step returning a non-zero number ends the chain with that exit status', async () => {
    const wc = new WcReturnInStep({ inputs: { success: false } });
    await wc.execute();
    expect(wc.exitStatus).toBe(1);
    expect(wc.isSuccessful).toBe(false);
  });

  it('a step returning nothing goes on', async () => {
    await expect(new WcReturnInStep().execute()).rejects.toThrow('Should already have returned');
  });
});

describe('nested outputs', () => {
  it('emits an output in a namespace', async () => {
    class TestWorkChain extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.output('x.y', { required: true });
        spec.outline('doRun');
      }

      doRun(): void {
        this.out('x.y', 5);
      }
    }
    const wc = new TestWorkChain();
    expect(await wc.execute()).toEqual({ x: { y: 5 } });
    expect(wc.isSuccessful).toBe(true);
  });
});

describe('an exception in a child', () => {
  it('makes the chain EXCEPTED before its next step, with the child named and its error as cause', async () => {
    const myException = new RangeError('Should not be reached');
    class Workchain extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('begin', 'check');
      }

      begin(): void {
        this.toContext({ resultA: this.launch(ExceptionProcess, { pid: 'child-1' }) });
      }

      check(): void {
        throw myException;
      }
    }
    const wc = new Workchain();
    await expect(wc.execute()).rejects.toBeInstanceOf(AwaitableFailedError);
    const error = wc.exception();
    expect(error).not.toBe(myException);
    expect(error).toBeInstanceOf(AwaitableFailedError);
    expect(error?.message).toBe(
      "The child process ExceptionProcess<child-1> awaited as 'resultA' excepted: RangeError: the child failed",
    );
    expect((error as AwaitableFailedError).key).toBe('resultA');
    expect((error as AwaitableFailedError).pid).toBe('child-1');
    expect((error?.cause as Error).message).toBe('the child failed');
    expect(wc.state).toBe('excepted');
  });
});

describe('the stepper position', () => {
  it("follows plumpy's stepper strings, step by step", async () => {
    class StepperWf extends WorkChain<{ N: number }> {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.input('N', { validType: Number });
        spec.outline(
          'checkN',
          while_('doStep')('chill', 'chill'),
          if_('doStep')('chill').elif_('doStep')('chill').else_('chill'),
        );
      }

      checkN(): void {
        if (!('N' in this.inputs)) throw new RangeError('N missing');
      }

      chill(): void {}

      doStep(): boolean {
        this.ctx.doStep = ((this.ctx.doStep as number | undefined) ?? 0) + 1;
        return (this.ctx.doStep as number) < this.inputs.N;
      }
    }
    const stepperStrings: string[] = [];
    const wf = new StepperWf({ inputs: { N: 4 } });
    wf.addProcessListener({ onProcessRunning: (process) => stepperStrings.push(process.stepperPosition) });
    await wf.execute();
    expect(stepperStrings).toEqual([
      '0:checkN',
      '1:while_(doStep)',
      '1:while_(doStep)(1:chill)',
      '1:while_(doStep)',
      '1:while_(doStep)(1:chill)',
      '1:while_(doStep)',
      '1:while_(doStep)(1:chill)',
      '1:while_(doStep)',
      '2:if_(doStep)',
    ]);
    expect(wf.stepperPosition).toBe('');
  });
});

describe('immutable inputs', () => {
  it('cannot be changed from a step', async () => {
    const errors: string[] = [];
    class ImmutableWf extends WorkChain<{ a: number; b: number }> {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.input('a', { validType: Number });
        spec.input('b', { validType: Number });
        spec.outline('stepOne', 'stepTwo');
      }

      stepOne(): void {
        const inputs = this.inputs as Record<string, unknown>;
        for (const attempt of [
          () => (inputs.a = 3),
          () => delete inputs.b,
          () => (inputs.c = 4),
        ]) {
          try {
            attempt();
          } catch (error) {
            errors.push((error as Error).name);
          }
        }
      }

      stepTwo(): void {
        this.out('seen', { ...this.inputs });
      }

      static override createSpec(): WorkChainSpec {
        const spec = super.createSpec();
        spec.outputs.dynamic = true;
        return spec;
      }
    }
    const outputs = await new ImmutableWf({ inputs: { a: 1, b: 2 } }).execute();
    expect(errors).toEqual(['TypeError', 'TypeError', 'TypeError']);
    expect(outputs.seen).toEqual({ a: 1, b: 2 });
  });

  it('cannot be changed in a namespace either', async () => {
    const errors: string[] = [];
    class ImmutableNamespaceWf extends WorkChain<{ subspace: Record<string, number> }> {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.inputNamespace('subspace', { dynamic: true });
        spec.outputs.dynamic = true;
        spec.outline('stepOne', 'stepTwo');
      }

      stepOne(): void {
        const subspace = this.inputs.subspace;
        for (const attempt of [
          () => (subspace.one = 3),
          () => delete subspace.two,
          () => (subspace.four = 4),
        ]) {
          try {
            attempt();
          } catch (error) {
            errors.push((error as Error).name);
          }
        }
      }

      stepTwo(): void {
        this.out('seen', { ...this.inputs.subspace });
      }
    }
    const outputs = await new ImmutableNamespaceWf({ inputs: { subspace: { one: 1, two: 2 } } }).execute();
    expect(errors).toEqual(['TypeError', 'TypeError', 'TypeError']);
    expect(outputs.seen).toEqual({ one: 1, two: 2 });
  });
});

describe('the spec', () => {
  it('describes itself as a string', () => {
    expect(typeof String(Wf.spec())).toBe('string');
    expect(Wf.spec().getDescription().outline).toEqual([
      's1',
      { 'if_(isA)': ['s2'], 'elif_(isB)': ['s3'], else_: ['s4'] },
      's5',
      { 'while_(ltN)': ['s6'] },
    ]);
  });

  it('is a WorkChainSpec', () => {
    expect(DummyWc.spec()).toBeInstanceOf(WorkChainSpec);
    expect(new DummyWc().spec()).toBe(DummyWc.spec());
  });
});
