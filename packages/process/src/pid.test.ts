import { describe, expect, it } from 'vitest';
import { DummyProcessWithOutput } from './__tests__/processes.js';
import { Process } from './index.js';

describe('pid (plumpy test_pid)', () => {
  it('is a UUID v7 string by default', () => {
    const pid = new DummyProcessWithOutput().pid;
    expect(pid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('embeds the creation time', () => {
    const proc = new DummyProcessWithOutput();
    const ms = parseInt(String(proc.pid).replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBe(proc.creationTime);
    expect(Math.abs(proc.creationTime - Date.now())).toBeLessThan(60_000);
  });

  it('sorts by creation, even when read in another order', () => {
    const processes = Array.from({ length: 2000 }, () => new Process());
    const pids = [...processes].reverse().map((p) => String(p.pid)).reverse();
    expect([...pids].sort()).toEqual(pids);
    expect(new Set(pids).size).toBe(pids.length);
  });

  it('takes a given number or string', () => {
    expect(new DummyProcessWithOutput({ pid: 5 }).pid).toBe(5);
    expect(new DummyProcessWithOutput({ pid: 'a' }).pid).toBe('a');
  });

  it('is stable', () => {
    const proc = new Process();
    expect(proc.pid).toBe(proc.pid);
  });
});
