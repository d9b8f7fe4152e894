/**
 * Runs the benchmark workloads of shared/bench/WORKLOADS.md and prints one JSON
 * line per measurement. `node dist/run.js [workload...]` runs only the named ones.
 */
import type { Measurement } from './measurement.js';

type Workload = () => Promise<Measurement[]>;

const workloads: Record<string, () => Promise<Workload>> = {
  processes: async () => (await import('./processes.js')).processesWorkload,
  while_loop: async () => (await import('./while-loop.js')).whileLoopWorkload,
  concurrent: async () => (await import('./concurrent.js')).concurrentWorkload,
  rmq_launch: async () => (await import('./rmq-launch.js')).rmqLaunchWorkload,
  rmq_communicator: async () => (await import('./rmq-communicator.js')).rmqCommunicatorWorkload,
  checkpoint: async () => (await import('./checkpoints.js')).checkpoints,
};

const selected = process.argv.slice(2);
for (const [name, load] of Object.entries(workloads)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  const run = await load();
  for (const m of await run()) console.log(JSON.stringify(m));
}
