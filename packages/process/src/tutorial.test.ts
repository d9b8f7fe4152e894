import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { format } from 'node:util';
import { Continue, Kill, KilledError, Process, Stop, Wait, type ProcessSpec } from './index.js';

// Tutorial parts 1 to 6 of shared/contract/tutorial.md; each prints exactly the lines shown there.
let lines: string[];

beforeEach(() => {
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(format(...args));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tutorial', () => {
  it('1. a simple process', async () => {
    class SimpleProcess extends Process {
      override run(): void {
        console.log(this.state);
      }
    }
    const process = new SimpleProcess();
    console.log(process.state);
    await process.execute();
    console.log(process.state);
    console.log('Success', process.isSuccessful);
    console.log('Result', process.result());
    expect(lines).toEqual(['created', 'running', 'finished', 'Success true', 'Result undefined']);
  });

  it('2. inputs and outputs', async () => {
    interface Inputs {
      input1: string;
      input2: { input2a: string; input2b?: string };
    }
    class SpecProcess extends Process<Inputs> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('input1', { validType: String, help: 'A help string' });
        spec.output('output1');
        spec.inputNamespace('input2');
        spec.input('input2.input2a');
        spec.input('input2.input2b', { default: 'default' });
        spec.outputNamespace('output2');
        spec.output('output2.output2a');
        spec.output('output2.output2b');
      }
      override run(): void {
        this.out('output1', this.inputs.input1);
        this.out('output2.output2a', this.inputs.input2.input2a);
        this.out('output2.output2b', this.inputs.input2.input2b);
      }
    }
    console.log(JSON.stringify(SpecProcess.spec().getDescription().inputs.input1));
    const p = new SpecProcess({ inputs: { input1: 'my input', input2: { input2a: 'other input' } } });
    await p.execute();
    console.log(p.outputs);
    expect(JSON.parse(lines[0]!)).toEqual({ help: 'A help string', name: 'input1', required: true, validType: 'String' });
    expect(lines[1]!.replace(/\s+/g, ' ')).toBe(
      "{ output1: 'my input', output2: { output2a: 'other input', output2b: 'default' } }",
    );
    expect(p.outputs).toEqual({ output1: 'my input', output2: { output2a: 'other input', output2b: 'default' } });
  });

  it('3. commands: Continue and Kill', async () => {
    class ContinueProcess extends Process {
      override run(): Continue {
        console.log('running');
        return new Continue(this.continueFn);
      }
      continueFn(): Kill {
        console.log('continuing');
        return new Kill('I was killed');
      }
    }
    const c = new ContinueProcess();
    try {
      await c.execute();
    } catch (e) {
      if (!(e instanceof KilledError)) throw e;
    }
    console.log(c.state);
    console.log(c.status);
    console.log(c.isSuccessful);
    expect(lines).toEqual(['running', 'continuing', 'killed', 'I was killed', 'false']);
  });

  it('4. listeners and Wait', async () => {
    class WaitProcess extends Process {
      override run(): Wait {
        return new Wait(this.resumeFn);
      }
      resumeFn(): Stop {
        return new Stop(undefined, true);
      }
    }
    const w = new WaitProcess();
    console.log(w.state);
    w.addProcessListener({
      onProcessRunning: (proc) => console.log(proc.state),
      onProcessWaiting: (proc) => {
        console.log(proc.state);
        proc.resume();
      },
    });
    await w.execute();
    console.log(w.state);
    expect(lines).toEqual(['created', 'running', 'waiting', 'running', 'finished']);
  });

  it('5. asynchronicity: a Continue does not give the event loop away', async () => {
    async function asyncFn(): Promise<void> {
      console.log('async_fn start');
      await sleep(10);
      console.log('async_fn end');
    }
    class NamedProcess extends Process<{ name: string }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('name');
      }
      override run(): Continue {
        console.log(this.inputs.name, 'run');
        return new Continue(this.continueFn);
      }
      continueFn(): void {
        console.log(this.inputs.name, 'continued');
      }
    }
    const process1 = new NamedProcess({ inputs: { name: 'process1' } });
    const process2 = new NamedProcess({ inputs: { name: 'process2' } });
    await Promise.all([asyncFn(), process1.stepUntilTerminated(), process2.stepUntilTerminated()]);
    expect(lines).toEqual([
      'async_fn start',
      'process1 run',
      'process1 continued',
      'process2 run',
      'process2 continued',
      'async_fn end',
    ]);
  });

  it('6. pausing and playing', async () => {
    class SimpleProcess extends Process {
      override run(): void {
        console.log(this.getName());
      }
    }
    class PauseProcess extends Process {
      override run(): Continue {
        console.log(`${this.getName()}: pausing`);
        void this.pause();
        console.log(`${this.getName()}: continue step`);
        return new Continue(this.nextStep);
      }
      nextStep(): void {
        console.log(`${this.getName()}: next step`);
      }
    }
    const pauseProc = new PauseProcess();
    const simpleProc = new SimpleProcess();
    async function play(proc: Process): Promise<void> {
      while (!proc.paused) await sleep(0);
      console.log(`${proc.getName()}: playing (state=${proc.state})`);
      proc.play();
    }
    await Promise.all([pauseProc.stepUntilTerminated(), simpleProc.stepUntilTerminated(), play(pauseProc)]);
    expect(lines).toEqual([
      'PauseProcess: pausing',
      'PauseProcess: continue step',
      'SimpleProcess',
      'PauseProcess: playing (state=running)',
      'PauseProcess: next step',
    ]);
  });
});
