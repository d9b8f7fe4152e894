import type { RmqCommunicatorOptions } from './options.js';
import { RmqCommunicator } from './rmq-communicator.js';

/**
 * Connects an {@link RmqCommunicator} to the RabbitMQ broker at `url`
 * (`amqp://user:pass@host:port/vhost`, or `amqps://` for TLS) and resolves
 * once its exchanges, queues and consumers are in place.
 *
 * @example
 * const communicator = await connect('amqp://guest:guest@127.0.0.1:5672', { taskQueue: 'my-app.tasks' });
 * communicator.addRpcSubscriber((_c, msg) => ({ echo: msg }), 'echo');
 * await communicator.rpcSend('echo', 'hi'); // { echo: 'hi' }
 * await communicator.close();
 */
export function connect(url: string, options: RmqCommunicatorOptions = {}): Promise<RmqCommunicator> {
  return RmqCommunicator.connect(url, options);
}
