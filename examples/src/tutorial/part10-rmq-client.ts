/**
 * Tutorial part 10 over RabbitMQ: the same walk-through, with the launcher in a
 * worker OS process (`part10-rmq-worker.js`). Usage: `node part10-rmq-client.js amqp://...`.
 */
import * as plumpy from 'plumpy-ts';
import { communicatorsAndControllers } from './part10-communicators.js';

export async function mainRmq(url: string, options: Parameters<typeof plumpy.connect>[1] = {}): Promise<void> {
  const communicator = await plumpy.connect(url, options);
  try {
    await communicatorsAndControllers(communicator, { launcherHere: false });
  } finally {
    await communicator.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const url = process.argv[2];
  if (!url) throw new Error('usage: part10-rmq-client.js <amqp-url> [taskQueue]');
  await mainRmq(url, process.argv[3] ? { taskQueue: process.argv[3] } : {});
}
