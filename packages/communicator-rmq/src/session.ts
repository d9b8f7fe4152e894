import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Message } from 'amqplib';
import { AckBatcher } from './ack-batcher.js';
import { markChannelClosed } from './deliveries.js';
import type { ResolvedOptions } from './options.js';
import { RpcBindings } from './rpc-bindings.js';
import { BROADCAST_ROUTING_KEY, commonQueueArguments, declareTopology } from './topology.js';
import { installFrameWriter } from './frame-writer.js';

/** One live broker connection with its channels and consumers; replaced as a whole after the connection is lost. */
export interface Session {
  readonly connection: ChannelModel;
  /** Publishes tasks, with publisher confirms (a task is handed over once the broker confirms it). */
  readonly publisher: ConfirmChannel;
  /**
   * Publishes broadcasts, RPC messages and replies, in the order they are
   * sent, without confirms: a broadcast or a reply is fire and forget, and an
   * RPC learns that it was unroutable from the broker's return, and of a lost
   * connection from the session breaking. No confirms spares the broker an
   * acknowledgement per message and this process reading it.
   */
  readonly sender: Channel;
  /** Consumes replies, broadcasts and RPC messages (each settled on arrival). */
  readonly consumer: Channel;
  /** Acknowledges the deliveries of {@link Session.consumer}, several at a time. */
  readonly consumerAcks: AckBatcher;
  /** Binds RPC identifiers to the RPC queue (pipelined) and confirms the binds. */
  readonly bindChannel: Channel;
  /** Unbinds RPC identifiers, in the background. */
  readonly unbindChannel: Channel;
  /** Consumes tasks (with the task prefetch); replaced alone if the broker closes it (e.g. a consumer timeout). */
  tasks: Channel;
  /**
   * This connection's broadcast queue (exclusive). It is bound to the message
   * exchange only once the communicator has a broadcast subscriber that
   * outlives the turn it was added in (see {@link bindBroadcastQueue}).
   */
  readonly broadcastQueue: string;
  /** The bind of {@link Session.broadcastQueue}, once begun. */
  broadcastBinding: Promise<void> | undefined;
  /** Whether {@link Session.broadcastQueue} is bound (its bind confirmed). */
  broadcastBound: boolean;
  /** This connection's one RPC queue (exclusive): every RPC identifier here is bound to it. */
  readonly rpcQueue: string;
  /** The RPC identifiers bound to {@link Session.rpcQueue}. */
  readonly bindings: RpcBindings;
  taskConsumerTag: string | undefined;
  /** Set once the connection is gone (or being closed on purpose). */
  closed: boolean;
}

/** What the owner of a session hears from it. */
export interface SessionEvents {
  /** The connection closed (lost, or closed by anyone). */
  connectionClosed(session: Session, error: Error | undefined): void;
  /** A mandatory message came back unroutable. */
  returned(message: Message): void;
  reply(session: Session, message: ConsumeMessage | null): void;
  broadcast(session: Session, message: ConsumeMessage | null): void;
  rpc(session: Session, message: ConsumeMessage | null): void;
  /** Whether there is an RPC subscriber under `identifier` (its binding is wanted). */
  rpcWanted(identifier: string): boolean;
  /** A channel other than the task channel closed while the connection lives: the session is broken. */
  channelBroken(session: Session, role: string): void;
  /** A new task channel replaced one the broker closed; the task consumer must be set up again. */
  taskChannelReplaced(session: Session): void;
}

/**
 * Connects to the broker and sets up a session: a confirm channel for
 * publishing tasks, a channel for publishing everything else, a channel
 * consuming replies, broadcasts and RPC, a task channel with the
 * task prefetch, two channels for RPC bindings, the shared topology, this
 * communicator's reply queue and a new broadcast queue and RPC queue, with their
 * consumers. The RPC queue has no bindings yet: the owner syncs them.
 */
export async function openSession(url: string, options: ResolvedOptions, replyQueue: string, events: SessionEvents): Promise<Session> {
  const { tls, connectionName, timeoutMs, logger } = options;
  const connection = await amqp.connect(url, {
    ...tls,
    noDelay: true,
    timeout: timeoutMs,
    clientProperties: { connection_name: connectionName },
  });
  installFrameWriter(connection);
  try {
    connection.on('error', (error: Error) => logger.warn('Broker connection error', error));
    const [publisher, sender, consumer, tasks, bindChannel, unbindChannel] = await Promise.all([
      connection.createConfirmChannel(),
      connection.createChannel(),
      connection.createChannel(),
      connection.createChannel(),
      connection.createChannel(),
      connection.createChannel(),
    ]);
    await tasks.prefetch(options.prefetch);
    await declareTopology(consumer, options, replyQueue);
    const exclusive = { exclusive: true, autoDelete: true, arguments: commonQueueArguments(options) };
    const { queue: broadcastQueue } = await consumer.assertQueue('', exclusive);
    const { queue: rpcQueue } = await consumer.assertQueue('', exclusive);
    const session: Session = {
      connection,
      publisher,
      sender,
      consumer,
      consumerAcks: new AckBatcher(consumer),
      bindChannel,
      unbindChannel,
      tasks,
      broadcastQueue,
      broadcastBinding: undefined,
      broadcastBound: false,
      rpcQueue,
      bindings: new RpcBindings(
        { bind: bindChannel, unbind: unbindChannel },
        rpcQueue,
        options.messageExchange,
        (identifier) => events.rpcWanted(identifier),
        (error) => {
          if (session.closed) return;
          logger.warn('Updating the RPC bindings on the broker failed; reconnecting', error);
          breakSession(session);
        },
      ),
      taskConsumerTag: undefined,
      closed: false,
    };
    connection.on('close', (error?: Error) => events.connectionClosed(session, error));
    publisher.on('return', (message: Message) => events.returned(message));
    sender.on('return', (message: Message) => events.returned(message));
    watchChannel(session, publisher, 'publisher', options, events);
    watchChannel(session, sender, 'sender', options, events);
    watchChannel(session, consumer, 'consumer', options, events);
    watchChannel(session, bindChannel, 'RPC bind', options, events);
    watchChannel(session, unbindChannel, 'RPC unbind', options, events);
    watchTaskChannel(session, tasks, options, events);
    await consumer.consume(replyQueue, (message) => events.reply(session, message));
    await consumer.consume(broadcastQueue, (message) => events.broadcast(session, message));
    await consumer.consume(rpcQueue, (message) => events.rpc(session, message));
    return session;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Binds the session's broadcast queue to the message exchange (once; later
 * calls return the same bind). A failing bind closes the bind channel, which
 * breaks the session; the returned promise then rejects.
 */
export function bindBroadcastQueue(session: Session, exchange: string): Promise<void> {
  if (session.broadcastBinding === undefined) {
    const binding = session.bindChannel.bindQueue(session.broadcastQueue, exchange, BROADCAST_ROUTING_KEY).then(() => {
      session.broadcastBound = true;
    });
    binding.catch(() => undefined);
    session.broadcastBinding = binding;
  }
  return session.broadcastBinding;
}

/** Closes the session's connection (its owner hears `connectionClosed`); errors are ignored. */
export function breakSession(session: Session): void {
  session.connection.close().catch(() => undefined);
}

function watchChannel(session: Session, channel: Channel, role: string, options: ResolvedOptions, events: SessionEvents): void {
  channel.on('error', (error: Error) => options.logger.warn(`The broker closed the ${role} channel`, error));
  channel.on('close', () => {
    markChannelClosed(channel);
    // A closing connection closes its channels first; only a channel closing alone breaks the session.
    setImmediate(() => {
      if (!session.closed) events.channelBroken(session, role);
    });
  });
}

/** The task channel closing alone (e.g. RabbitMQ's consumer timeout) is replaced without reconnecting. */
function watchTaskChannel(session: Session, channel: Channel, options: ResolvedOptions, events: SessionEvents): void {
  channel.on('error', (error: Error) => options.logger.warn('The broker closed the task channel', error));
  channel.on('close', () => {
    markChannelClosed(channel);
    setImmediate(() => {
      if (session.closed || session.tasks !== channel) return;
      replaceTaskChannel(session, options, events).catch((error: unknown) => {
        if (session.closed) return;
        options.logger.warn('Could not reopen the task channel; reconnecting', error);
        breakSession(session);
      });
    });
  });
}

async function replaceTaskChannel(session: Session, options: ResolvedOptions, events: SessionEvents): Promise<void> {
  const tasks = await session.connection.createChannel();
  await tasks.prefetch(options.prefetch);
  session.tasks = tasks;
  session.taskConsumerTag = undefined;
  watchTaskChannel(session, tasks, options, events);
  events.taskChannelReplaced(session);
}
