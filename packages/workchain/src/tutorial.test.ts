/**
 * Tutorial parts 7 and 8 (shared/contract/tutorial.md), written as in the
 * examples package, must print exactly what plumpy's tutorial prints.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { WorkChain, if_, while_, type WorkChainSpec } from './index.js';
import { captureOutput } from './__tests__/capture-output.js';

// ---------------------------------------------------------------- part 7

class SimpleWorkChain extends WorkChain {
  static override define(spec: WorkChainSpec): void {
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

class IfWorkChain extends WorkChain<{ run: boolean }> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('run', { validType: Boolean });
    spec.outline(if_('ifStep')('conditionalStep'));
  }

  ifStep(): boolean {
    console.log('  if');
    return this.inputs.run;
  }

  conditionalStep(): void {
    console.log('  conditional');
  }
}

class WhileWorkChain extends WorkChain<{ steps: number }> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('steps', { validType: Number, default: 3 });
    spec.outline('initStep', while_('whileStep')('conditionalStep'));
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

async function part7(): Promise<void> {
  await new SimpleWorkChain().execute();
  console.log('execute False');
  await new IfWorkChain({ inputs: { run: false } }).execute();
  console.log('execute True');
  await new IfWorkChain({ inputs: { run: true } }).execute();
  await new WhileWorkChain().execute();
}

// ---------------------------------------------------------------- part 8

/**
 * plumpy's `awaitable_func`, which sleeps 10 ms. There, `asyncio.ensure_future`
 * starts both chains' sleeps together, on the next turn of the loop, so both
 * end in the same turn. A JavaScript async function starts at once, 10 ms
 * apart here (the busy wait), so the example waits for the next turn of the
 * event loop instead: both chains' awaitables then settle in the same turn, as
 * in plumpy, deterministically.
 */
async function awaitableFunc(msg: string): Promise<boolean> {
  await nextTurn();
  console.log(msg);
  return true;
}

/** Blocks the thread, as plumpy's `time.sleep` does in this example. */
function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

class InternalProcess extends Process<{ name: string }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('name', { validType: String, default: 'process' });
    spec.output('value');
  }

  override run(): void {
    console.log(this.inputs.name);
    this.out('value', 'value');
  }
}

interface InterstepInputs {
  name: string;
  process: boolean;
  awaitable: boolean;
}

class InterstepWorkChain extends WorkChain<InterstepInputs> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('name', { validType: String, default: 'workchain' });
    spec.input('process', { validType: Boolean, default: false });
    spec.input('awaitable', { validType: Boolean, default: false });
    spec.outline('step1', 'step2', 'step3');
  }

  step1(): void {
    console.log(this.inputs.name, 'step1');
  }

  step2(): void {
    console.log(this.inputs.name, 'step2');
    busyWait(10);
    if (this.inputs.awaitable) {
      this.toContext({ awaitable: awaitableFunc(`${this.inputs.name} step2 awaitable`) });
    }
    if (this.inputs.process) {
      this.toContext({
        process: this.launch(InternalProcess, { inputs: { name: `${this.inputs.name} step2 process` } }),
      });
    }
  }

  step3(): void {
    console.log(this.inputs.name, 'step3');
    console.log(`  ctx=${JSON.stringify(this.ctx)}`);
  }
}

async function runPair(options: Partial<InterstepInputs>): Promise<void> {
  const wkchain1 = new InterstepWorkChain({ inputs: { name: 'wkchain1', ...options } });
  const wkchain2 = new InterstepWorkChain({ inputs: { name: 'wkchain2', ...options } });
  await Promise.all([wkchain1.stepUntilTerminated(), wkchain2.stepUntilTerminated()]);
}

// ---------------------------------------------------------------- tests

const withoutAwaitables = [
  'wkchain1 step1',
  'wkchain1 step2',
  'wkchain1 step3',
  '  ctx={}',
  'wkchain2 step1',
  'wkchain2 step2',
  'wkchain2 step3',
  '  ctx={}',
];

const withProcesses = [
  'wkchain1 step1',
  'wkchain1 step2',
  'wkchain2 step1',
  'wkchain2 step2',
  'wkchain1 step2 process',
  'wkchain2 step2 process',
  'wkchain1 step3',
  '  ctx={"process":{"value":"value"}}',
  'wkchain2 step3',
  '  ctx={"process":{"value":"value"}}',
];

const withAwaitables = [
  'wkchain1 step1',
  'wkchain1 step2',
  'wkchain2 step1',
  'wkchain2 step2',
  'wkchain1 step2 awaitable',
  'wkchain2 step2 awaitable',
  'wkchain1 step3',
  '  ctx={"awaitable":true}',
  'wkchain2 step3',
  '  ctx={"awaitable":true}',
];

describe('tutorial', () => {
  it('part 7: work chains with an outline, if_ and while_', async () => {
    expect(await captureOutput(part7)).toEqual([
      'step1',
      'step2',
      'execute False',
      '  if',
      'execute True',
      '  if',
      '  conditional',
      'step 1',
      'step 2',
      'step 3',
    ]);
  });

  it('part 8: without awaitables, two chains run one after the other', async () => {
    expect(await captureOutput(() => runPair({}))).toEqual(withoutAwaitables);
  });

  it('part 8: a child process each makes the chains wait and interleave', async () => {
    expect(await captureOutput(() => runPair({ process: true }))).toEqual(withProcesses);
  });

  it('part 8: an awaitable promise each makes the chains wait and interleave', async () => {
    expect(await captureOutput(() => runPair({ awaitable: true }))).toEqual(withAwaitables);
  });

  it('part 8: a child process and an awaitable each', async () => {
    expect(await captureOutput(() => runPair({ process: true, awaitable: true }))).toEqual([
      'wkchain1 step1',
      'wkchain1 step2',
      'wkchain2 step1',
      'wkchain2 step2',
      'wkchain1 step2 process',
      'wkchain2 step2 process',
      'wkchain1 step2 awaitable',
      'wkchain2 step2 awaitable',
      'wkchain1 step3',
      '  ctx={"awaitable":true,"process":{"value":"value"}}',
      'wkchain2 step3',
      '  ctx={"awaitable":true,"process":{"value":"value"}}',
    ]);
  });

  it('part 8: the whole part in sequence', async () => {
    const lines = await captureOutput(async () => {
      await runPair({});
      await runPair({ process: true });
      await runPair({ awaitable: true });
    });
    expect(lines).toEqual([...withoutAwaitables, ...withProcesses, ...withAwaitables]);
  });
});
