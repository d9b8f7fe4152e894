/**
 * The `rmq_launch` workloads of WORKLOADS.md: launching and controlling
 * processes over RabbitMQ on loopback. A private broker is started; the
 * launcher runs in this OS process on its own communicator (prefetch 64), the
 * controller on another.
 */
import { randomUUID } from 'node:crypto';
import { connect } from '@plumpy-ts/communicator-rmq';
import { ProcessLauncher, RemoteProcessController } from '@plumpy-ts/controllers';
import { ClassRegistry } from '@plumpy-ts/persistence';
import { Process, Wait, type ProcessSpec } from '@plumpy-ts/process';
import { startRabbitMqBroker } from '@plumpy-ts/testing';
import { measurement, timeSequential, warmupCount, type Measurement } from './measurement.js';

/** Counts finished launches, so the nowait workload knows when all have run. */
let finished = 0;
let onFinished: (() => void) | undefined;

/** The trivial process: input `a` (Number), output `x` (Number). */
class TrivialProcess extends Process<{ a: number }, { x: number }> {
  static processId = 'bench/rmq/TrivialProcess';

  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number });
    spec.output('x', { validType: Number });
  }

  override run(): void {
    this.out('x', 1);
    finished += 1;
    onFinished?.();
  }
}

/** Waits until killed: the target of the status RPCs. */
class WaitingProcess extends Process {
  static processId = 'bench/rmq/WaitingProcess';

  override run(): Wait {
    return new Wait();
  }
}

ClassRegistry.default.register(TrivialProcess);
ClassRegistry.default.register(WaitingProcess);

/** Resolves once `target` processes have finished in all. */
function finishedCount(target: number): Promise<void> {
  if (finished >= target) return Promise.resolve();
  return new Promise((resolve) => {
    onFinished = () => {
      if (finished >= target) {
        onFinished = undefined;
        resolve();
      }
    };
  });
}

/** Runs `rmq_launch.launch` (n=500), `rmq_launch.launch_nowait` (n=5000) and `rmq_launch.rpc_status` (n=500). */
export async function rmqLaunchWorkload(): Promise<Measurement[]> {
  const broker = await startRabbitMqBroker();
  const suffix = randomUUID();
  const names = {
    messageExchange: `bench.messages.${suffix}`,
    taskExchange: `bench.tasks.${suffix}`,
    taskQueue: `bench.tasks.${suffix}`,
  };
  const results: Measurement[] = [];
  try {
    const worker = await connect(broker.url, { ...names, prefetch: 64 });
    const client = await connect(broker.url, names);
    try {
      worker.addTaskSubscriber(new ProcessLauncher().handle);
      await worker.ready();
      const controller = new RemoteProcessController(client);
      const setup = { broker: 'RabbitMQ on loopback (private, @plumpy-ts/testing)', launcher: 'same OS process, own communicator, prefetch 64' };

      results.push(
        await timeSequential(
          'rmq_launch.launch',
          500,
          async () => {
            const outputs = await controller.launchProcess(TrivialProcess, { inputs: { a: 1 } });
            if (outputs.x !== 1) throw new Error(`unexpected outputs ${JSON.stringify(outputs)}`);
          },
          setup,
        ),
      );

      const n = 5000;
      const launchNowait = async (count: number): Promise<void> => {
        const target = finished + count;
        const pids = await Promise.all(
          Array.from({ length: count }, () => controller.launchProcess(TrivialProcess, { inputs: { a: 1 }, nowait: true })),
        );
        if (new Set(pids).size !== count) throw new Error('duplicate pids');
        await finishedCount(target);
      };
      await launchNowait(warmupCount(n));
      const start = process.hrtime.bigint();
      await launchNowait(n);
      const elapsed = process.hrtime.bigint() - start;
      const nowait = measurement('rmq_launch.launch_nowait', n, elapsed, setup);
      results.push({ ...nowait, launches_per_s: Math.round(n / nowait.total_s) });

      const pid = await controller.launchProcess(WaitingProcess, { nowait: true });
      results.push(
        await timeSequential(
          'rmq_launch.rpc_status',
          500,
          async () => {
            const status = await controller.getStatus(pid);
            if (status.state !== 'waiting') throw new Error(`unexpected status ${JSON.stringify(status)}`);
          },
          setup,
        ),
      );
      await controller.killProcess(pid);
    } finally {
      await client.close();
      await worker.close();
    }
  } finally {
    await broker.dispose();
  }
  return results;
}
