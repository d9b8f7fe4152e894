import type { ConnectionOptions } from 'node:tls';

/** Where an {@link RmqCommunicator} reports what nobody else would see. */
export interface RmqLogger {
  /** A failure: a subscriber threw, a message was malformed, the broker connection broke. */
  error(message: string, error?: unknown): void;
  /** Something recovered from: a reconnect, a task given back to the queue. */
  warn(message: string, error?: unknown): void;
}

/** How an {@link RmqCommunicator} reconnects after losing its broker connection. */
export interface RmqReconnectOptions {
  /** The first delay before reconnecting, in ms. Default 100. */
  initialDelayMs?: number;
  /** The longest delay between attempts (the delay doubles up to it), in ms. Default 5 000. */
  maxDelayMs?: number;
}

/** Options of {@link connect}. */
export interface RmqCommunicatorOptions {
  /** The topic exchange for RPC and broadcast messages. Default `plumpy-ts.messages`. */
  messageExchange?: string;
  /** The topic exchange tasks are published to. Default `plumpy-ts.tasks`. */
  taskExchange?: string;
  /** The durable queue tasks wait in (bound to the task exchange under its own name). Default `plumpy-ts.tasks`. */
  taskQueue?: string;
  /** How many tasks this communicator holds (unacknowledged) at once. Default 1. */
  prefetch?: number;
  /** The AMQP heartbeat in seconds; 0 disables it. Default 30. */
  heartbeat?: number;
  /**
   * The time limit of every remote call, in ms: an RPC's reply, the broker's
   * confirmation of a task or broadcast, connecting, and waiting for a lost
   * connection to come back before sending. Default 30 000.
   */
  timeoutMs?: number;
  /**
   * The time limit for a task's result, in ms. Default: none — a task waits in
   * its durable queue until a worker takes it, however long that is.
   */
  taskTimeoutMs?: number;
  /**
   * RabbitMQ's delivery acknowledgement timeout for the task queue (queue
   * argument `x-consumer-timeout`, honoured by RabbitMQ 3.12 and later; older
   * brokers only have the global `consumer_timeout` setting). Long tasks must
   * stay below it or the broker closes the worker's task channel; see the README.
   * Default: not set (the broker's setting applies).
   */
  consumerTimeoutMs?: number;
  /** Messages this communicator rejects (malformed, foreign) are dead-lettered to this exchange. Default: none. */
  deadLetterExchange?: string;
  /** How long the reply queue outlives a communicator that vanished without closing, in ms. Default 300 000. */
  replyQueueExpiresMs?: number;
  /** How many finished task ids a worker remembers to recognise a redelivered task. Default 1 000. */
  completedTaskMemory?: number;
  /** How long to wait before giving a task nobody here accepted back to the queue, in ms. Default 200. */
  requeueDelayMs?: number;
  /** Reconnection after a lost connection; `false` closes the communicator instead. */
  reconnect?: RmqReconnectOptions | false;
  /** TLS options for an `amqps://` URL (e.g. `ca`, `cert`, `key`, `rejectUnauthorized`). */
  tls?: ConnectionOptions;
  /** The connection name shown by the broker (`rabbitmqctl list_connections user_provided_name`). */
  connectionName?: string;
  /** Receives errors and warnings. Default: `console`. */
  logger?: RmqLogger;
}

/** {@link RmqCommunicatorOptions} with every default filled in. */
export interface ResolvedOptions {
  messageExchange: string;
  taskExchange: string;
  taskQueue: string;
  prefetch: number;
  heartbeat: number;
  timeoutMs: number;
  taskTimeoutMs: number | undefined;
  consumerTimeoutMs: number | undefined;
  deadLetterExchange: string | undefined;
  replyQueueExpiresMs: number;
  completedTaskMemory: number;
  requeueDelayMs: number;
  reconnect: Required<RmqReconnectOptions> | false;
  tls: ConnectionOptions;
  connectionName: string;
  logger: RmqLogger;
}

/** The default names of the exchanges and the task queue. */
export const DEFAULT_NAMES = {
  messageExchange: 'plumpy-ts.messages',
  taskExchange: 'plumpy-ts.tasks',
  taskQueue: 'plumpy-ts.tasks',
} as const;

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result < 0 || (!allowZero && result === 0)) {
    throw new RangeError(`The option '${name}' must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`);
  }
  return result;
}

/** Fills in the defaults and checks the values. @throws RangeError for an invalid number */
export function resolveOptions(options: RmqCommunicatorOptions, communicatorId: string): ResolvedOptions {
  const reconnect = options.reconnect;
  return {
    messageExchange: options.messageExchange ?? DEFAULT_NAMES.messageExchange,
    taskExchange: options.taskExchange ?? DEFAULT_NAMES.taskExchange,
    taskQueue: options.taskQueue ?? DEFAULT_NAMES.taskQueue,
    prefetch: Math.floor(positive('prefetch', options.prefetch, 1)),
    heartbeat: positive('heartbeat', options.heartbeat, 30, true),
    timeoutMs: positive('timeoutMs', options.timeoutMs, 30_000),
    taskTimeoutMs: options.taskTimeoutMs === undefined ? undefined : positive('taskTimeoutMs', options.taskTimeoutMs, 0),
    consumerTimeoutMs:
      options.consumerTimeoutMs === undefined ? undefined : positive('consumerTimeoutMs', options.consumerTimeoutMs, 0),
    deadLetterExchange: options.deadLetterExchange,
    replyQueueExpiresMs: positive('replyQueueExpiresMs', options.replyQueueExpiresMs, 300_000),
    completedTaskMemory: Math.floor(positive('completedTaskMemory', options.completedTaskMemory, 1_000, true)),
    requeueDelayMs: positive('requeueDelayMs', options.requeueDelayMs, 200, true),
    reconnect:
      reconnect === false
        ? false
        : {
            initialDelayMs: positive('reconnect.initialDelayMs', reconnect?.initialDelayMs, 100),
            maxDelayMs: positive('reconnect.maxDelayMs', reconnect?.maxDelayMs, 5_000),
          },
    tls: options.tls ?? {},
    connectionName: options.connectionName ?? `plumpy-ts ${communicatorId}`,
    logger: options.logger ?? console,
  };
}
