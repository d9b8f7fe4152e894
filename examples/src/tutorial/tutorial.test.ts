import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { tutorialParts } from './parts.js';

/** Runs `fn`, returning every line it printed with console.log. */
async function captureOutput(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(...format(...args).split('\n'));
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** Joins lines and collapses the whitespace Node's inspect may use to wrap objects. */
const flatten = (lines: string[]): string => lines.join('\n').replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim();


const part = (n: number) => {
  const found = tutorialParts[n - 1];
  if (!found) throw new Error(`no part ${n}`);
  return found.main;
};

describe('the tutorial prints what plumpy prints', () => {
  it('1. a simple process', async () => {
    expect(await captureOutput(part(1))).toEqual(['created', 'running', 'finished', 'Success true', 'Result undefined']);
  });

  it('2. inputs and outputs', async () => {
    const [description, ...outputs] = await captureOutput(part(2));
    expect(JSON.parse(description ?? '')).toEqual({ help: 'A help string', name: 'input1', required: true, validType: 'String' });
    expect(flatten(outputs)).toBe("{ output1: 'my input', output2: { output2a: 'other input', output2b: 'default' } }");
  });

  it('3. commands: Continue and Kill', async () => {
    expect(await captureOutput(part(3))).toEqual(['running', 'continuing', 'killed', 'I was killed', 'false']);
  });

  it('4. listeners and Wait', async () => {
    expect(await captureOutput(part(4))).toEqual(['created', 'running', 'waiting', 'running', 'finished']);
  });

  it('5. asynchronicity: Continue keeps the event loop', async () => {
    expect(await captureOutput(part(5))).toEqual([
      'async_fn start',
      'process1 run',
      'process1 continued',
      'process2 run',
      'process2 continued',
      'async_fn end',
    ]);
  });

  it('6. pausing and playing', async () => {
    expect(await captureOutput(part(6))).toEqual([
      'PauseProcess: pausing',
      'PauseProcess: continue step',
      'SimpleProcess',
      'PauseProcess: playing (state=running)',
      'PauseProcess: next step',
    ]);
  });
  it('7. work chains', async () => {
    expect(await captureOutput(part(7))).toEqual([
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

  it('8. interstep awaitables', async () => {
    const lines = await captureOutput(part(8));
    const chain = (name: string, ctx: string) => [`${name} step1`, `${name} step2`, `${name} step3`, `  ctx=${ctx}`];
    expect(lines).toEqual([
      ...chain('wkchain1', '{}'),
      ...chain('wkchain2', '{}'),
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
    ]);
  });
});
