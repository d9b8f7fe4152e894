/**
 * End to end over RabbitMQ: a client (this test) launches 100 work chains with
 * nowait to two worker OS processes (test-fixtures/worker.mjs, on the built
 * packages), pauses and plays some, kills some, and checks that every one ends
 * in the expected state with the expected outputs; then stops one worker with
 * SIGTERM while it runs processes, which the other worker continues; finally
 * stops the worker that runs a parent waiting on its child, and the other
 * worker continues both (the parent learns of the child's end by broadcast).
 *
 * Needs the built packages: `npm test` builds this one (tsc) first; build the
 * others with `npx turbo run build --filter=@plumpy-ts/controllers...`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect, type RmqCommunicator } from '@plumpy-ts/communicator-rmq';
import { FilePersister } from '@plumpy-ts/persistence-file';
import { KilledError } from '@plumpy-ts/process';
import { startRabbitMqBroker, type RabbitMqBroker } from '@plumpy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParentOfSumming, SummingWorkChain } from '../test-fixtures/e2e-workchain.mjs';
import { recordingLogger, whenBroadcast } from './__tests__/support.js';
import { newPid } from './new-pid.js';
import { processOutcome } from './process-end.js';
import { RemoteProcessController } from './remote-process-controller.js';

const WORKER = fileURLToPath(new URL('../test-fixtures/worker.mjs', import.meta.url));

interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

function startWorker(name: string, url: string, options: object, directory: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER, name, url, JSON.stringify(options), directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return new Promise((resolve, reject) => {
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      lines.push(line);
      if (line === 'ready') resolve({ name, child, lines, exited });
    });
    exited.then((code) => reject(new Error(`worker ${name} exited with ${String(code)} before it was ready`)), reject);
  });
}

const sumTo = (n: number): number => (n * (n + 1)) / 2;
const tasksOf = (worker: WorkerProcess, kind: string): number =>
  worker.lines.filter((line) => line === `task ${worker.name} ${kind}`).length;

describe('end to end: a client and two worker OS processes over RabbitMQ', () => {
  let broker: RabbitMqBroker;
  let directory: string;
  let workers: WorkerProcess[] = [];
  let client: RmqCommunicator;
  let controller: RemoteProcessController;
  let persister: FilePersister;
  let names: Record<string, unknown>;

  beforeAll(async () => {
    broker = await startRabbitMqBroker();
    directory = mkdtempSync(join(tmpdir(), 'plumpy-ts-controllers-e2e-'));
    const suffix = randomUUID();
    names = {
      messageExchange: `controllers.e2e.messages.${suffix}`,
      taskExchange: `controllers.e2e.tasks.${suffix}`,
      taskQueue: `controllers.e2e.tasks.${suffix}`,
      timeoutMs: 20_000,
    };
    workers = await Promise.all([
      startWorker('A', broker.url, names, directory),
      startWorker('B', broker.url, names, directory),
    ]);
    client = await connect(broker.url, { ...names, logger: recordingLogger() });
    controller = new RemoteProcessController(client);
    persister = new FilePersister({ directory });
  });

  afterAll(async () => {
    await client?.close();
    for (const worker of workers) {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await broker?.dispose();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('launches 100 work chains (nowait), pauses and plays some, kills some: each ends as expected', async () => {
    type Plan = { kind: 'run' | 'pause' | 'kill'; n: number; delayMs: number };
    const plans: Plan[] = Array.from({ length: 100 }, (_, i) => {
      const group = i % 10;
      if (group < 3) return { kind: 'pause', n: 40, delayMs: 10 };
      if (group < 5) return { kind: 'kill', n: 100_000, delayMs: 5 };
      return { kind: 'run', n: 5 + (i % 7), delayMs: 5 };
    });

    // One after another, each paused or killed as soon as its pid is known.
    const launched: { pid: string; plan: Plan; outcome: Promise<Record<string, unknown>> }[] = [];
    for (const plan of plans) {
      const pid = await controller.launchProcess(SummingWorkChain, {
        inputs: { n: plan.n, delayMs: plan.delayMs },
        persist: true,
        nowait: true,
      });
      const outcome = processOutcome(client, pid, { persister });
      outcome.catch(() => undefined);
      if (plan.kind === 'pause') expect(await controller.pauseProcess(pid, 'e2e pause')).toBe(true);
      if (plan.kind === 'kill') expect(await controller.killProcess(pid, 'e2e kill')).toBe(true);
      launched.push({ pid, plan, outcome });
    }

    const paused = launched.filter((l) => l.plan.kind === 'pause');
    for (const { pid } of paused) {
      expect(await controller.getStatus(pid)).toMatchObject({ paused: true, state: 'running' });
    }
    for (const { pid } of paused) expect(await controller.playProcess(pid)).toBe(true);

    for (const { plan, outcome } of launched) {
      if (plan.kind === 'kill') {
        await expect(outcome).rejects.toBeInstanceOf(KilledError);
        await expect(outcome).rejects.toThrow('e2e kill');
      } else {
        expect(await outcome).toEqual({ total: sumTo(plan.n), n: plan.n });
      }
    }
    // Both worker OS processes took launch tasks.
    for (const worker of workers) expect(tasksOf(worker, 'launch')).toBeGreaterThan(0);
  });

  it('hands the processes of a worker stopped with SIGTERM over to the other worker', async () => {
    const [a, b] = workers as [WorkerProcess, WorkerProcess];
    const launchesBefore = tasksOf(a, 'launch');
    const continuesBefore = tasksOf(b, 'continue');
    const n = 30;
    const launched = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const pid = await controller.launchProcess(SummingWorkChain, {
          inputs: { n, delayMs: 10 },
          persist: true,
          nowait: true,
        });
        const outcome = processOutcome(client, pid, { persister });
        outcome.catch(() => undefined);
        return { pid, outcome };
      }),
    );
    const onA = tasksOf(a, 'launch') - launchesBefore;
    expect(onA).toBeGreaterThan(0);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    for (const { outcome } of launched) expect(await outcome).toEqual({ total: sumTo(n), n });
    // Every process A was running went to B with a continue task (unless it had finished first).
    expect(tasksOf(b, 'continue') - continuesBefore).toBeLessThanOrEqual(onA);
    expect(tasksOf(b, 'continue') - continuesBefore).toBeGreaterThan(0);
  });

  it('hands a parent and the child it waits for over together; the other worker finishes both', async () => {
    const b = workers[1]!;
    const c = await startWorker('C', broker.url, names, directory);
    workers.push(c);
    const alive = [b, c];
    const launchesBefore = alive.map((worker) => tasksOf(worker, 'launch'));
    const continuesBefore = alive.map((worker) => tasksOf(worker, 'continue'));
    const pid = newPid();
    const childPid = `${pid}-child`;
    const childRuns = whenBroadcast(client, childPid, /^state_changed\.created\.running$/);
    const n = 100;
    await controller.launchProcess(ParentOfSumming, { inputs: { n, delayMs: 20 }, persist: true, nowait: true, pid });
    const outcome = processOutcome(client, pid, { persister });
    outcome.catch(() => undefined);
    await childRuns;

    const holder = alive.findIndex((worker, i) => tasksOf(worker, 'launch') > launchesBefore[i]!);
    expect(holder).toBeGreaterThanOrEqual(0);
    const [stopped, other] = [alive[holder]!, alive[1 - holder]!];
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(0);

    expect(await outcome).toEqual({ child: { total: sumTo(n), n } });
    // The parent and its child were each continued by the other worker.
    expect(tasksOf(other, 'continue') - continuesBefore[1 - holder]!).toBe(2);
  });
});
