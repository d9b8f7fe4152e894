// A worker OS process of the end-to-end test, using the BUILT packages.
// Usage: node worker.mjs <name> <amqp-url> <json RmqCommunicatorOptions> <checkpoint directory>
// Prints "ready" once it takes tasks, and "task <name> <kind>" for every task it receives.
import { connect } from '@plumpy-ts/communicator-rmq';
import { createWorker } from '@plumpy-ts/controllers';
import { FilePersister } from '@plumpy-ts/persistence-file';
import './e2e-workchain.mjs';

const [name, url, optionsJson, directory] = process.argv.slice(2);
const communicator = await connect(url, { ...JSON.parse(optionsJson), prefetch: 32 });

// Report every task this worker receives (the test checks both workers took part).
const addTaskSubscriber = communicator.addTaskSubscriber.bind(communicator);
communicator.addTaskSubscriber = (subscriber, identifier) =>
  addTaskSubscriber((c, task) => {
    console.log(`task ${name} ${task?.task}`);
    return subscriber(c, task);
  }, identifier);

createWorker({
  communicator,
  persister: new FilePersister({ directory }),
  concurrency: 32,
  handleSignals: true,
  logger: { debug() {}, info() {}, warn: (m) => console.error(`warn ${name}: ${m}`), error: (m, e) => console.error(`error ${name}: ${m}`, e) },
});
await communicator.ready();
console.log('ready');
