import type { Channel } from 'amqplib';
import type { ResolvedOptions } from './options.js';

/** The routing key of broadcasts on the message exchange. */
export const BROADCAST_ROUTING_KEY = 'broadcast';

/** The prefix of RPC routing keys (`rpc.<identifier>`). */
const RPC_PREFIX = 'rpc.';

/**
 * The routing key of RPC messages for `identifier` on the message exchange.
 * Characters that are wildcards in topic bindings (`*`, `#`) and `%` are
 * percent-encoded so that an identifier only ever matches itself.
 */
export function rpcRoutingKey(identifier: string): string {
  return `${RPC_PREFIX}${identifier.replace(/[%*#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * The RPC identifier a routing key made by {@link rpcRoutingKey} addresses, or
 * `undefined` if the key is not an RPC routing key.
 */
export function rpcIdentifier(routingKey: string): string | undefined {
  if (!routingKey.startsWith(RPC_PREFIX)) return undefined;
  const escaped = routingKey.slice(RPC_PREFIX.length);
  return escaped.includes('%') ? escaped.replace(/%(2A|23|25)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : escaped;
}

/** Arguments every queue this package declares gets (the dead-letter exchange, if configured). */
export function commonQueueArguments(options: ResolvedOptions): Record<string, unknown> {
  return options.deadLetterExchange === undefined ? {} : { 'x-dead-letter-exchange': options.deadLetterExchange };
}

/** Arguments of the durable task queue. */
export function taskQueueArguments(options: ResolvedOptions): Record<string, unknown> {
  const args = commonQueueArguments(options);
  if (options.consumerTimeoutMs !== undefined) args['x-consumer-timeout'] = options.consumerTimeoutMs;
  return args;
}

/**
 * Declares what every communicator of an application shares — the message and
 * task exchanges (durable topic exchanges) and the durable task queue bound to
 * the task exchange under its own name — and this communicator's reply queue
 * (durable, so replies survive a broker restart, and deleted by the broker
 * when unused for `replyQueueExpiresMs`).
 */
export async function declareTopology(channel: Channel, options: ResolvedOptions, replyQueue: string): Promise<void> {
  await channel.assertExchange(options.messageExchange, 'topic', { durable: true });
  await channel.assertExchange(options.taskExchange, 'topic', { durable: true });
  await channel.assertQueue(options.taskQueue, { durable: true, arguments: taskQueueArguments(options) });
  await channel.bindQueue(options.taskQueue, options.taskExchange, options.taskQueue);
  await channel.assertQueue(replyQueue, {
    durable: true,
    arguments: { ...commonQueueArguments(options), 'x-expires': options.replyQueueExpiresMs },
  });
}
