import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LocalCommunicator } from '@plumpy-ts/communicator';
import { ClosedError, Process, Wait, type AnyProcess, type ProcessSpec } from './index.js';

describe('Process.current() and nesting', () => {
  it('is the process whose step runs (plumpy test_process_stack)', async () => {
    let current: Process | undefined;
    class StackTest extends Process {
      override run(): void {
        current = Process.current();
      }
    }
    const proc = new StackTest();
    expect(Process.current()).toBeUndefined();
    await proc.execute();
    expect(current).toBe(proc);
    expect(Process.current()).toBeUndefined();
  });

  it('stays right across awaits of interleaved async steps (plumpy test_process_scope)', async () => {
    const steps: string[] = [];
    class Interleave extends Process<{ name: string; delay: number }> {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('name');
        spec.input('delay');
      }
      override async run(): Promise<void> {
        const name = this.inputs.name;
        steps.push(`${name} started ${String(Process.current() === this)}`);
        await sleep(this.inputs.delay);
        steps.push(`${name} woke ${String(Process.current() === this)}`);
        await Promise.resolve();
        steps.push(`${name} finishing ${String(Process.current() === this)}`);
      }
    }
    const p1 = new Interleave({ inputs: { name: 'p1', delay: 5 } });
    const p2 = new Interleave({ inputs: { name: 'p2', delay: 1 } });
    await Promise.all([p1.execute(), p2.execute()]);
    expect(steps.every((s) => s.endsWith('true'))).toBe(true);
    expect(steps).toHaveLength(6);
  });

  it('is right for multiple nested processes (plumpy test_process_stack_multiple)', async () => {
    const expectTrue: boolean[] = [];
    class StackTest extends Process {
      override run(): void {
        expectTrue.push(this === Process.current());
      }
    }
    class ParentProcess extends Process {
      override async run(): Promise<void> {
        expectTrue.push(this === Process.current());
        await new StackTest().execute();
        expectTrue.push(this === Process.current());
      }
    }
    class SyncParent extends Process {
      override run(): Promise<unknown> {
        expectTrue.push(this === Process.current());
        const child = new StackTest().execute();
        expectTrue.push(this === Process.current());
        return child;
      }
    }
    await Promise.all([...Array.from({ length: 3 }, () => new ParentProcess().execute()), new SyncParent().execute()]);
    expect(expectTrue).toHaveLength(3 * 3 + 3);
    expect(expectTrue.every(Boolean)).toBe(true);
  });

  it('runs an async child inside a sync step with the child as current', async () => {
    const seen: string[] = [];
    class AsyncChild extends Process {
      override async run(): Promise<void> {
        seen.push(`child sync part: ${String(Process.current() === this)}`);
        await Promise.resolve();
        seen.push(`child after await: ${String(Process.current() === this)}`);
      }
    }
    class SyncParent extends Process {
      override run(): Promise<unknown> {
        const child = new AsyncChild().execute();
        seen.push(`parent: ${String(Process.current() === this)}`);
        return child;
      }
    }
    await new SyncParent().execute();
    expect(seen).toEqual(['child sync part: true', 'parent: true', 'child after await: true']);
  });

  it('runs nested processes (plumpy test_process_nested)', async () => {
    class StackTest extends Process {}
    class ParentProcess extends Process {
      override async run(): Promise<void> {
        await new StackTest().execute();
      }
    }
    const parent = new ParentProcess();
    await parent.execute();
    expect(parent.state).toBe('finished');
  });
});

describe('launch', () => {
  class Child extends Process<{ value: number }> {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.input('value', { validType: Number });
      spec.output('doubled', { validType: Number });
    }
    override run(): void {
      this.out('doubled', this.inputs.value * 2);
    }
  }

  it('starts the child asynchronously and lets the parent wait for it', async () => {
    const order: string[] = [];
    class Parent extends Process {
      child: Process | undefined;
      override run(): Wait {
        const child = this.launch(Child, { inputs: { value: 21 }, pid: 'child-1' });
        this.child = child;
        order.push(`launched: ${child.state}`);
        child.future().then(
          (outputs) => {
            order.push('child finished');
            this.resume(outputs);
          },
          (error: unknown) => this.resume(error),
        );
        return new Wait(this.collect);
      }
      collect(outputs: Record<string, unknown>): void {
        this.out('result', outputs.doubled);
      }
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.outputs.dynamic = true;
      }
    }
    const parent = new Parent();
    const outputs = await parent.execute();
    expect(order).toEqual(['launched: created', 'child finished']);
    expect(outputs).toEqual({ result: 42 });
    expect(parent.child?.pid).toBe('child-1');
  });

  it('passes the communicator and the logger on', () => {
    const communicator = new LocalCommunicator();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    let child: Process | undefined;
    class Parent extends Process {
      override run(): void {
        child = this.launch(Child, { inputs: { value: 1 } });
      }
    }
    const parent = new Parent({ communicator, logger });
    return parent.execute().then(async () => {
      expect(child?.communicator).toBe(communicator);
      expect(child?.logger).toBe(logger);
      await child?.future();
    });
  });

  it('tells the listeners of each child launched, before the child takes a step', async () => {
    const seen: string[] = [];
    class Parent extends Process {
      override run(): void {
        this.launch(Child, { inputs: { value: 1 }, pid: 'first' });
        this.launch(Child, { inputs: { value: 2 }, pid: 'second' });
      }
    }
    const children: AnyProcess[] = [];
    const parent = new Parent();
    parent.addProcessListener({
      onChildLaunched(process, child) {
        seen.push(`${String(process.pid === parent.pid)} ${String(child.pid)} ${child.state}`);
        children.push(child);
      },
    });
    await parent.execute();
    expect(seen).toEqual(['true first created', 'true second created']);
    expect(await Promise.all(children.map((child) => child.future()))).toEqual([{ doubled: 2 }, { doubled: 4 }]);
  });

  it('refuses to launch from a closed process', async () => {
    const parent = new Child({ inputs: { value: 1 } });
    await parent.execute();
    expect(() => parent.launch(Child, { inputs: { value: 1 } })).toThrow(ClosedError);
  });
});
