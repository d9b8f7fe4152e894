/**
 * The worker of tutorial part 10 over RabbitMQ: runs the processes that
 * controllers launch. Usage: `node part10-rmq-worker.js amqp://... [taskQueue]`;
 * stops on SIGTERM or SIGINT.
 */
import * as plumpy from 'plumpy-ts';
import './controlled-workchain.js';

const url = process.argv[2];
if (!url) throw new Error('usage: part10-rmq-worker.js <amqp-url> [taskQueue]');
const communicator = await plumpy.connect(url, process.argv[3] ? { taskQueue: process.argv[3] } : {});
communicator.addTaskSubscriber(new plumpy.ProcessLauncher().handle);
console.log('worker ready');

const stop = (): void => {
  communicator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
