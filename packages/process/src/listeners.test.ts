import { describe, expect, it } from 'vitest';
import {
  DummyProcessWithOutput,
  ExceptionProcess,
  ListenerTester,
  WaitForSignalProcess,
} from './__tests__/processes.js';
import { Process, type Logger, type ProcessListener } from './index.js';

function recordingLogger(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args) };
}

describe('listeners (plumpy TestProcessEvents)', () => {
  it('sees running, output_emitted and finished (test_basic_events)', async () => {
    const proc = new DummyProcessWithOutput();
    const tester = new ListenerTester(proc);
    await proc.execute();
    expect(tester.called).toEqual(new Set(['running', 'output_emitted', 'finished']));
  });

  it('sees killed (test_killed)', async () => {
    const proc = new DummyProcessWithOutput();
    const tester = new ListenerTester(proc);
    expect(await proc.kill()).toBe(true);
    expect(proc.isKilled).toBe(true);
    expect(tester.called).toEqual(new Set(['killed']));
  });

  it('sees excepted (test_excepted)', async () => {
    const proc = new ExceptionProcess();
    const tester = new ListenerTester(proc);
    await expect(proc.execute()).rejects.toThrow('Great scott!');
    expect(proc.exception()).toBeDefined();
    expect(tester.called).toEqual(new Set(['excepted', 'running', 'output_emitted']));
  });

  it('sees paused and played (test_paused)', async () => {
    const proc = new DummyProcessWithOutput();
    const tester = new ListenerTester(proc);
    expect(await proc.pause()).toBe(true);
    expect(tester.called).toEqual(new Set(['paused']));
    proc.play();
    expect(tester.called).toEqual(new Set(['paused', 'played']));
  });

  it('sees waiting', async () => {
    const proc = new WaitForSignalProcess();
    const tester = new ListenerTester(proc);
    const done = proc.execute();
    proc.resume();
    await done;
    expect(tester.called).toEqual(new Set(['running', 'waiting', 'finished']));
  });

  it('sees created when given to the constructor', () => {
    const created: Process[] = [];
    const proc = new DummyProcessWithOutput({ listeners: [{ onProcessCreated: (p) => created.push(p) }] });
    expect(created).toEqual([proc]);
  });

  it('passes the event arguments', async () => {
    const seen: unknown[][] = [];
    const listener: ProcessListener = {
      onOutputEmitted: (p, name, value, dynamic) => seen.push(['output', p.getName(), name, value, dynamic]),
      onProcessFinished: (_p, outputs) => seen.push(['finished', outputs]),
      onProcessExcepted: (_p, reason) => seen.push(['excepted', reason]),
      onProcessKilled: (_p, msg) => seen.push(['killed', msg]),
    };
    class Outputs extends Process {
      static override define(spec: Parameters<typeof Process.define>[0]): void {
        super.define(spec);
        spec.output('declared');
        spec.outputs.dynamic = true;
      }
      override run(): void {
        this.out('declared', 1);
        this.out('extra', 2);
      }
    }
    const proc = new Outputs();
    proc.addProcessListener(listener);
    await proc.execute();
    const failing = new ExceptionProcess();
    failing.addProcessListener(listener);
    await failing.execute().catch(() => undefined);
    const killed = new WaitForSignalProcess();
    killed.addProcessListener(listener);
    await killed.kill('gone');
    expect(seen).toEqual([
      ['output', 'Outputs', 'declared', 1, false],
      ['output', 'Outputs', 'extra', 2, true],
      ['finished', { declared: 1, extra: 2 }],
      ['output', 'ExceptionProcess', 'test', 5, true],
      ['excepted', 'Great scott!'],
      ['killed', { message: 'gone', force: false }],
    ]);
  });

  it('logs an error thrown by a listener and carries on', async () => {
    const logger = recordingLogger();
    const proc = new DummyProcessWithOutput({ logger });
    const tester = new ListenerTester(proc);
    proc.addProcessListener({
      onProcessRunning: () => {
        throw new Error('listener broke');
      },
    });
    const outputs = await proc.execute();
    expect(outputs).toEqual({ default: 5 });
    expect(proc.isSuccessful).toBe(true);
    expect(tester.called.has('finished')).toBe(true);
    expect(logger.errors).toHaveLength(1);
    expect(String(logger.errors[0]![0])).toContain('listener onProcessRunning threw');
    expect((logger.errors[0]![1] as Error).message).toBe('listener broke');
  });

  it('removes listeners', async () => {
    const proc = new DummyProcessWithOutput();
    const tester = new ListenerTester(proc);
    proc.removeProcessListener(tester);
    proc.removeProcessListener(tester);
    await proc.execute();
    expect(tester.called.size).toBe(0);
  });
});
