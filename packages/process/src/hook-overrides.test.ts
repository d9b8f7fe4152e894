import { describe, expect, it } from 'vitest';
import { INIT, ON_CLOSE, ON_FINISHED, ON_PLAYING, ON_RUN, ON_RUNNING, overriddenHooks } from './hook-overrides.js';
import { Process, SuperNotCalledError } from './index.js';

describe('overriddenHooks', () => {
  it('finds no override in the base class', () => {
    expect(overriddenHooks(Process.prototype, Process.prototype)).toBe(0);
  });

  it('finds the hooks a class overrides, also through an intermediate class', () => {
    class Parent extends Process {
      protected override onRunning(): void {
        super.onRunning();
      }
    }
    class Child extends Parent {
      protected override init(): void {
        super.init();
      }
      protected override onClose(): void {
        super.onClose();
      }
    }
    expect(overriddenHooks(Parent.prototype, Process.prototype)).toBe(ON_RUNNING);
    expect(overriddenHooks(Child.prototype, Process.prototype)).toBe(ON_RUNNING | INIT | ON_CLOSE);
  });

  it('gives each hook its own bit, above the bits 0-7 a process keeps its flags in', () => {
    const bits = [INIT, ON_RUN, ON_RUNNING, ON_FINISHED, ON_CLOSE, ON_PLAYING];
    expect(new Set(bits).size).toBe(bits.length);
    for (const bit of bits) expect(bit).toBeGreaterThanOrEqual(1 << 8);
  });
});

describe('hooks of a class and of its subclasses', () => {
  it('calls an override inherited from an intermediate class, and checks its super call', async () => {
    const seen: string[] = [];
    class Parent extends Process {
      protected override onFinished(): void {
        seen.push(`finished ${this.constructor.name}`);
        if (this.constructor.name !== 'Forgetful') super.onFinished();
      }
    }
    class Child extends Parent {}
    class Forgetful extends Parent {}
    await new Parent().execute();
    await new Child().execute();
    await new Parent().execute();
    const forgetful = new Forgetful();
    await expect(forgetful.execute()).rejects.toBeInstanceOf(SuperNotCalledError);
    expect(seen).toEqual(['finished Parent', 'finished Child', 'finished Parent', 'finished Forgetful']);
  });

  it('runs the base behaviour of hooks that are not overridden', async () => {
    const events: string[] = [];
    class Plain extends Process {
      override run(): void {
        this.addCleanup(() => events.push('cleanup'));
      }
    }
    const proc = new Plain({
      listeners: [
        {
          onProcessCreated: () => events.push('created'),
          onProcessRunning: () => events.push('running'),
          onProcessFinished: () => events.push('finished'),
        },
      ],
    });
    await proc.execute();
    expect(events).toEqual(['created', 'running', 'finished', 'cleanup']);
    expect(proc.isClosed).toBe(true);
  });
});
