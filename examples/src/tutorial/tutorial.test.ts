import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
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
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const flatten = (lines: string[]): string => lines.join('\n').replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim();


const part = (n: number) => {
  const found = tutorialParts.find((p) => p.title.startsWith(`${n}.`));
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
  it('9. persistence', async () => {
    expect(await captureOutput(part(9))).toEqual(['{ step: 3 }', "[ 'init', 'step2', 'step3' ]", '{ step: 2 }']);
  });

  it('10. communicators and controllers (LocalCommunicator)', async () => {
    expect10(await captureOutput(part(10)));
  });
});

function expect10(lines: string[]): void {
  const text = flatten(lines);
  const status = escape("{ ctime: ") + '\\d+' + escape(", paused: false, processString: '<SimpleProcess> (created)', state: 'created' }");
  expect(text).toMatch(new RegExp(`^${status} ${escape('{ result: 11 }')} ${UUID}$`));
}

describe('tutorial part 10 over RabbitMQ, with the launcher in a worker OS process', () => {
  let broker: RabbitMqBroker;
  beforeAll(async () => {
    broker = await startRabbitMqBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('prints the same as with the LocalCommunicator', async () => {
    const taskQueue = `tutorial-${randomUUID()}`;
    const script = (name: string) => fileURLToPath(new URL(`../../dist/tutorial/${name}`, import.meta.url));
    const worker = spawn(process.execPath, [script('part10-rmq-worker.js'), broker.url, taskQueue], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
        worker.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('worker ready')) resolve();
        });
      });
      const client = spawn(process.execPath, [script('part10-rmq-client.js'), broker.url, taskQueue], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      client.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => client.once('exit', resolve));
      expect(code).toBe(0);
      expect10(out.split('\n'));
    } finally {
      worker.removeAllListeners('exit');
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
