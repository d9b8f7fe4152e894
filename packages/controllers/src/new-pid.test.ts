import { describe, expect, it } from 'vitest';
import { newPid } from './new-pid.js';

describe('newPid', () => {
  it('makes UUID version 7 strings', () => {
    const pid = newPid();
    expect(pid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('puts the time first, so that pids sort by creation time', () => {
    const earlier = newPid(1_700_000_000_000);
    const later = newPid(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(earlier.replace(/-/g, '').slice(0, 12)).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
  });

  it('makes a different pid each time', () => {
    const pids = new Set(Array.from({ length: 1000 }, () => newPid(0)));
    expect(pids.size).toBe(1000);
  });
});
