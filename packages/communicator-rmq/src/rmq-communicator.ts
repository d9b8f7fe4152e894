import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage, Message, Options } from 'amqplib';
import {
  CommunicatorClosed,
  DeliveryFailed,
  RemoteException,
  SubscriberRegistry,
  TimeoutError,
  UnroutableError,
  type BroadcastSendOptions,
  type BroadcastSubscriber,
  type Communicator,
  type RpcSubscriber,
  type TaskSendOptions,
  type TaskSubscriber,
} from '@plumpy-ts/communicator';
import { connectionUrl } from './connection-url.js';
import { rejectMalformed } from './deliveries.js';
import { BrokerConnectionLost } from './errors.js';
import { resolveOptions, type ResolvedOptions, type RmqCommunicatorOptions } from './options.js';
import { asError, describeError, encodeReply, isThenable, settleOutcome } from './outcome.js';
import { PendingReplies } from './pending-replies.js';
import { bindBroadcastQueue, breakSession, openSession, type Session } from './session.js';
import { TaskWorker } from './task-worker.js';
import { BROADCAST_ROUTING_KEY, rpcIdentifier, rpcRoutingKey } from './topology.js';
import {
  broadcastMessage,
  decodeBroadcasts,
  decodeMessage,
  decodeReply,
  encodeBroadcastText,
  encodeMessage,
  MalformedMessage,
  messageProperties,
  type BroadcastEnvelope,
  type OutgoingMessage,
  type ReplyEnvelope,
} from './wire-format.js';
import { BroadcastBatch } from './broadcast-batch.js';

const SENT = Symbol('sent');

/** A broadcast message (one broadcast or a batch) that waits to be published (for a connection, or for the broadcast queue's bind). */
interface HeldBroadcast {
  readonly message: OutgoingMessage;
  resolve(sent: boolean): void;
  reject(error: unknown): void;
}

/**
 * A {@link Communicator} over a RabbitMQ broker (amqplib), kiwipy's
 * `RmqCommunicator`. Create one with {@link connect} (or
 * {@link RmqCommunicator.connect}).
 *
 * - **RPC**: a connection has one exclusive RPC queue; each RPC subscriber adds
 *   a binding `rpc.<identifier>` on the message exchange (a topic exchange) and
 *   messages are dispatched by routing key. Binding changes are sent at the end
 *   of the event-loop turn (pipelined; unbinds in the background). A message is
 *   published `mandatory` with a correlation id and this communicator's reply
 *   queue; an unbound recipient — or one whose subscriber was just removed —
 *   rejects with `UnroutableError`, no reply within `timeoutMs` with
 *   `TimeoutError`, and a lost connection with {@link BrokerConnectionLost} —
 *   an RPC never hangs.
 * - **Tasks** are persistent messages in a durable queue, published with
 *   publisher confirms (`taskSend` with `noReply` resolves once the broker has
 *   them). A worker takes `prefetch` tasks at a time and acknowledges a task only
 *   when its subscriber's promise settles, so a task held by a worker that dies
 *   is redelivered. A task every local subscriber rejects with `TaskRejected` goes
 *   back to the queue. Results and exceptions travel back to the sender's reply
 *   queue; each task has an id, so a worker that sees a redelivered task it is
 *   running or has just finished does not run it again but answers with its
 *   outcome, and the sender takes the first reply.
 * - **Broadcasts** go to the exclusive queue of every communicator that has
 *   broadcast subscribers (a queue is bound once a subscriber outlives the turn
 *   it was added in); they are fire and forget (no broker confirm is awaited).
 * - **Subscriptions** are set up on the broker asynchronously; an RPC from the
 *   same communicator to one of its own new subscribers waits for it, and
 *   {@link RmqCommunicator.ready} waits for all of them explicitly.
 * - **Messages** are JSON with tagged non-JSON values (`Date`, `Map`, `Set`,
 *   `BigInt`, `undefined`, `Error`, `RegExp`, bytes), content type
 *   `application/x-plumpy-ts+json` and a format version header. Anything else
 *   arriving on one of its queues is rejected (dead-lettered if a dead-letter
 *   exchange is configured) and logged; the communicator keeps running.
 * - **Recovery**: after the connection is lost the communicator reconnects with
 *   backoff and rebuilds its channels, queues and consumers. Sends made
 *   meanwhile wait (up to `timeoutMs`) for the connection; tasks whose
 *   hand-over was not confirmed are published again.
 */
export class RmqCommunicator implements Communicator {
  /** This communicator's unique id (it names the reply queue). */
  readonly id: string = randomUUID();
  private readonly options: ResolvedOptions;
  private readonly url: string;
  private readonly replyQueue: string;
  private readonly rpcSubscribers = new SubscriberRegistry<RpcSubscriber>('rpc');
  private readonly taskSubscribers = new SubscriberRegistry<TaskSubscriber>('task');
  private readonly broadcastSubscribers = new SubscriberRegistry<BroadcastSubscriber>('broadcast');
  private readonly replies = new PendingReplies();
  private readonly worker: TaskWorker;
  /** Task hand-overs the broker returned as unroutable, by message id. */
  private readonly returnedTasks = new Set<string>();
  private readonly connectionWaiters = new Set<{ resolve(session: Session): void; reject(error: unknown): void }>();
  private session: Session | undefined;
  /** Settles once the task consumer matches the task subscribers (chained; never rejects). */
  private taskConsumerUpdates: Promise<void> = Promise.resolve();
  /** RPC identifiers added or removed since the bindings were last synced with the broker. */
  private readonly rpcChanges = new Set<string>();
  /** Resolves when the scheduled sync of {@link RmqCommunicator.rpcChanges} has run; `undefined` if none is scheduled. */
  private rpcSyncScheduled: Promise<void> | undefined;
  /** Broadcasts sent since the last publish, to go out as one message (see {@link RmqCommunicator.flushBroadcasts}). */
  private broadcastBatch: BroadcastBatch | undefined;
  /** Broadcast messages waiting to be published, in order (see {@link RmqCommunicator.broadcastSend}). */
  private readonly heldBroadcasts: HeldBroadcast[] = [];
  /** Whether the broadcast queue has ever been bound (a new connection binds it again). */
  private broadcastsWanted = false;
  private closed = false;
  private reconnectTimer: { timer: NodeJS.Timeout; wake(): void } | undefined;

  private constructor(url: string, options: RmqCommunicatorOptions) {
    this.options = resolveOptions(options, this.id);
    this.url = connectionUrl(url, this.options.heartbeat);
    this.replyQueue = `${this.options.messageExchange}.reply.${this.id}`;
    this.worker = new TaskWorker({
      communicator: this,
      subscribers: this.taskSubscribers,
      options: this.options,
      sendReply: (replyTo, correlationId, content) => this.sendReply(replyTo, correlationId, content),
      isClosed: () => this.closed,
    });
  }

  /**
   * Connects to the broker at `url` (`amqp://` or `amqps://`, credentials and
   * vhost in the URL), declares the exchanges, the task queue and this
   * communicator's queues, and resolves with a ready communicator.
   * Rejects if the broker cannot be reached or refuses the declarations.
   */
  static async connect(url: string, options: RmqCommunicatorOptions = {}): Promise<RmqCommunicator> {
    const communicator = new RmqCommunicator(url, options);
    const session = await communicator.openSession();
    communicator.installSession(session);
    return communicator;
  }

  /** Whether the communicator has a live broker connection right now. */
  get connected(): boolean {
    return this.session !== undefined;
  }

  /** Whether `close()` has been called. */
  isClosed(): boolean {
    return this.closed;
  }

  /**
   * Resolves once the subscriptions added so far are in place on the broker
   * (they are set up asynchronously). Sends from this communicator wait for
   * them by themselves; other communicators may call this on the subscribing
   * side first.
   */
  async ready(): Promise<void> {
    if (this.closed) throw new CommunicatorClosed();
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      // Changes made in this turn are sent at its end (so that a subscription added and removed within it never is).
      if (this.rpcSyncScheduled !== undefined) await this.rpcSyncScheduled;
      const session = await this.whenConnected(deadline);
      this.syncRpcBindings();
      try {
        await session.bindings.settled();
        if (session.broadcastBinding !== undefined) await session.broadcastBinding;
        await this.taskConsumerUpdates;
      } catch (error) {
        if (this.closed) throw new CommunicatorClosed();
        if (session === this.session && !session.closed) throw asError(error);
      }
      if (session === this.session) return;
      // The connection was replaced meanwhile: wait for the new one's subscriptions.
    }
  }

  // ---------------------------------------------------------------- subscribers

  /** Subscribes to RPC messages sent to `identifier` (a fresh one when omitted); returns the identifier. */
  addRpcSubscriber(subscriber: RpcSubscriber, identifier?: string): string {
    this.ensureOpen();
    const id = this.rpcSubscribers.add(subscriber, identifier);
    this.rpcChanged(id);
    return id;
  }

  /** Removes an RPC subscriber; throws if there is none under `identifier`. */
  removeRpcSubscriber(identifier: string): void {
    this.ensureOpen();
    this.rpcSubscribers.remove(identifier);
    this.rpcChanged(identifier);
  }

  /** Subscribes to tasks; returns the identifier (a fresh one when omitted). */
  addTaskSubscriber(subscriber: TaskSubscriber, identifier?: string): string {
    this.ensureOpen();
    const id = this.taskSubscribers.add(subscriber, identifier);
    this.scheduleTaskConsumerUpdate();
    return id;
  }

  /** Removes a task subscriber; throws if there is none under `identifier`. */
  removeTaskSubscriber(identifier: string): void {
    this.ensureOpen();
    this.taskSubscribers.remove(identifier);
    this.scheduleTaskConsumerUpdate();
  }

  /** Subscribes to broadcasts; returns the identifier (a fresh one when omitted). */
  addBroadcastSubscriber(subscriber: BroadcastSubscriber, identifier?: string): string {
    this.ensureOpen();
    const id = this.broadcastSubscribers.add(subscriber, identifier);
    if (!this.broadcastsWanted) this.scheduleBindingSync();
    return id;
  }

  /** Removes a broadcast subscriber; throws if there is none under `identifier`. */
  removeBroadcastSubscriber(identifier: string): void {
    this.ensureOpen();
    this.broadcastSubscribers.remove(identifier);
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends `msg` to the RPC subscriber `recipientId` and resolves with its reply.
   * Rejects with `UnroutableError` when nobody subscribes under `recipientId`,
   * `TimeoutError` after `timeoutMs`, {@link BrokerConnectionLost} when the
   * connection breaks first, `RemoteException` when the subscriber throws.
   */
  rpcSend(recipientId: string, msg: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    this.flushBroadcasts(); // what was sent before goes out before
    const correlationId = randomUUID();
    const { timeoutMs } = this.options;
    let message: OutgoingMessage;
    try {
      message = encodeMessage('rpc', msg, {
        correlationId,
        replyTo: this.replyQueue,
        mandatory: true,
        expiration: timeoutMs,
      });
    } catch (error) {
      return Promise.reject(asError(error));
    }
    const reply = this.replies.open(correlationId, 'rpc', timeoutMs, () => `The RPC to '${recipientId}'`);
    const routingKey = rpcRoutingKey(recipientId);
    const session = this.session;
    // Only a subscriber of this very communicator that is not bound yet is waited for.
    const local = this.rpcSubscribers.has(recipientId);
    if (session !== undefined && (!local || session.bindings.isLive(recipientId))) {
      this.publishRpc(session, routingKey, message, (error) => reply.reject(error));
    } else {
      const deadline = Date.now() + timeoutMs;
      void (async () => {
        let live = await this.whenConnected(deadline);
        if (local) {
          await this.ready();
          live = await this.whenConnected(deadline);
        }
        this.publishRpc(live, routingKey, message, (error) => reply.reject(error));
      })().catch((error: unknown) => reply.reject(error));
    }
    return reply.promise;
  }

  /**
   * Sends a task to one task subscriber and resolves with its result.
   * The task is a persistent message in the durable task queue; the send waits
   * (up to `timeoutMs`) for the broker to confirm it, then — unless `noReply` —
   * for the result, however long the task waits for a worker (or up to
   * `taskTimeoutMs` if set).
   */
  taskSend(task: unknown, options: TaskSendOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    this.flushBroadcasts(); // what was sent before goes out before
    const taskId = randomUUID();
    const noReply = options.noReply === true;
    let message: OutgoingMessage;
    try {
      message = encodeMessage('task', task, {
        messageId: taskId,
        correlationId: taskId,
        persistent: true,
        mandatory: true,
        timestamp: Math.floor(Date.now() / 1000),
        ...(noReply ? {} : { replyTo: this.replyQueue }),
      });
    } catch (error) {
      return Promise.reject(asError(error));
    }
    const reply = noReply ? undefined : this.replies.open(taskId, 'task', this.options.taskTimeoutMs, () => `The task ${taskId}`);
    const handedOver = this.publishConfirmed(this.options.taskExchange, this.options.taskQueue, message, 'task');
    if (reply === undefined) return handedOver.then(() => undefined);
    handedOver.catch((error: unknown) => reply.reject(error));
    return reply.promise;
  }

  /**
   * Sends a broadcast to every broadcast subscriber; resolves `true` once sent.
   * Fire and forget, as in kiwipy: resolves once the broadcast is written to
   * the connection (no broker confirm is awaited). Without a connection it
   * waits for one, up to `timeoutMs`. Broadcasts sent one after another, with
   * no other send in between, go out together as one message at the end of
   * the synchronous code that sent them (each still reaches the subscribers
   * as a broadcast of its own, in order).
   */
  broadcastSend(body: unknown, options: BroadcastSendOptions = {}): Promise<boolean> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    let text: string;
    try {
      text = encodeBroadcastText(body, options.sender, options.subject, options.correlationId);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    let batch = this.broadcastBatch;
    if (batch === undefined) {
      batch = this.broadcastBatch = new BroadcastBatch();
      queueMicrotask(() => this.flushBroadcasts());
    }
    return batch.add(text);
  }

  // ---------------------------------------------------------------- closing

  /**
   * Closes the communicator: rejects every send still waiting with
   * `CommunicatorClosed`, deletes its reply queue and closes the connection.
   * Tasks it holds unfinished go back to the queue. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flushBroadcasts(); // a broadcast sent just before closing still goes out
    this.closed = true;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer.timer);
      this.reconnectTimer.wake();
      this.reconnectTimer = undefined;
    }
    this.worker.stop();
    const closedError = new CommunicatorClosed();
    for (const waiter of Array.from(this.connectionWaiters)) waiter.reject(closedError);
    this.replies.rejectAll(closedError);
    for (const held of this.heldBroadcasts.splice(0)) held.reject(closedError);
    this.rpcSubscribers.clear();
    this.taskSubscribers.clear();
    this.broadcastSubscribers.clear();
    const session = this.session;
    this.session = undefined;
    if (session === undefined || session.closed) return;
    session.closed = true;
    await this.withTimeout(
      (async () => {
        try {
          await session.consumer.deleteQueue(this.replyQueue);
        } catch {
          // the queue expires by itself
        }
        await session.connection.close();
      })(),
      'closing the broker connection',
    ).catch((error: unknown) => this.options.logger.warn('Closing the broker connection failed', error));
  }

  // ---------------------------------------------------------------- connection

  private ensureOpen(): void {
    if (this.closed) throw new CommunicatorClosed();
  }

  private openSession(): Promise<Session> {
    return openSession(this.url, this.options, this.replyQueue, {
      connectionClosed: (session, error) => this.onConnectionLost(session, error),
      returned: (message) => this.onReturn(message),
      reply: (session, message) => this.onReply(session, message),
      broadcast: (session, message) => this.onBroadcast(session, message),
      rpc: (session, message) => this.onRpc(session, message),
      rpcWanted: (identifier) => this.rpcSubscribers.has(identifier),
      channelBroken: (session, role) => {
        if (this.closed) return;
        this.options.logger.warn(`The ${role} channel closed; reconnecting`);
        breakSession(session);
      },
      taskChannelReplaced: () => this.scheduleTaskConsumerUpdate(),
    });
  }

  private installSession(session: Session): void {
    if (session.closed) throw new BrokerConnectionLost('The broker connection was lost while it was being set up');
    this.session = session;
    // A new connection has a new RPC queue: bind every identifier there is.
    this.rpcChanges.clear();
    for (const identifier of this.rpcSubscribers.identifiers()) session.bindings.sync(identifier);
    if (this.broadcastsWanted || this.broadcastSubscribers.size > 0) this.bindBroadcasts(session);
    this.scheduleTaskConsumerUpdate();
    for (const waiter of Array.from(this.connectionWaiters)) waiter.resolve(session);
  }

  private onConnectionLost(session: Session, error: Error | undefined): void {
    if (session.closed && this.session !== session) return;
    session.closed = true;
    if (this.session !== session) return;
    this.session = undefined;
    const lost = new BrokerConnectionLost(
      `The connection to the message broker was lost before the reply arrived${error ? `: ${error.message}` : ''}`,
      error ? { cause: error } : undefined,
    );
    this.replies.rejectAll(lost, 'rpc');
    if (this.closed) return;
    if (this.options.reconnect === false) {
      this.options.logger.error('The connection to the message broker was lost; closing the communicator', error);
      this.replies.rejectAll(lost);
      void this.close();
      return;
    }
    this.options.logger.warn('The connection to the message broker was lost; reconnecting', error);
    void this.reconnect(this.options.reconnect);
  }

  private async reconnect(settings: { initialDelayMs: number; maxDelayMs: number }): Promise<void> {
    let delay = settings.initialDelayMs;
    let attempts = 0;
    while (!this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.reconnectTimer = { timer, wake: resolve };
      });
      this.reconnectTimer = undefined;
      if (this.closed) return;
      attempts += 1;
      try {
        const session = await this.openSession();
        if (this.closed) {
          session.closed = true;
          breakSession(session);
          return;
        }
        this.installSession(session);
        this.options.logger.warn(`Reconnected to the message broker after ${attempts} attempt(s)`);
        return;
      } catch (error) {
        if (attempts === 1 || attempts % 10 === 0) {
          this.options.logger.warn(`Reconnecting to the message broker failed (attempt ${attempts})`, error);
        }
        delay = Math.min(delay * 2, settings.maxDelayMs);
      }
    }
  }

  /** The live session; waits for a reconnection until `deadline` (then `TimeoutError`) or until closed. */
  private whenConnected(deadline: number): Promise<Session> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    if (this.session !== undefined) return Promise.resolve(this.session);
    return new Promise<Session>((resolve, reject) => {
      const waiter = {
        resolve: (session: Session) => {
          clearTimeout(timer);
          this.connectionWaiters.delete(waiter);
          resolve(session);
        },
        reject: (error: unknown) => {
          clearTimeout(timer);
          this.connectionWaiters.delete(waiter);
          reject(asError(error));
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new TimeoutError(`No connection to the message broker within ${this.options.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      this.connectionWaiters.add(waiter);
    });
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    const { timeoutMs } = this.options;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(asError(error));
        },
      );
    });
  }

  // ---------------------------------------------------------------- topology

  /**
   * An RPC subscriber was added or removed: its binding is synced with the
   * broker after the current turn of the event loop, so that a subscriber added
   * and removed within one turn (a short-lived process) never reaches the broker.
   */
  private rpcChanged(identifier: string): void {
    this.rpcChanges.add(identifier);
    this.scheduleBindingSync();
  }

  /**
   * Syncs the RPC bindings and the broadcast queue's binding with the broker
   * after the current turn of the event loop.
   */
  private scheduleBindingSync(): void {
    if (this.rpcSyncScheduled !== undefined) return;
    this.rpcSyncScheduled = new Promise((resolve) => {
      setImmediate(() => {
        this.syncRpcBindings();
        resolve();
      });
    });
  }

  /** Sends the pending RPC binding changes to the broker (pipelined, nobody waits for them here). */
  private syncRpcBindings(): void {
    this.rpcSyncScheduled = undefined;
    const session = this.session;
    if (session === undefined || session.closed || this.closed) return; // the next session binds them all
    for (const identifier of this.rpcChanges) session.bindings.sync(identifier);
    this.rpcChanges.clear();
    if (this.broadcastSubscribers.size > 0) this.bindBroadcasts(session);
  }

  /**
   * Binds the broadcast queue of `session` (once). It stays bound for the
   * life of the communicator: a new connection binds its queue at once.
   */
  private bindBroadcasts(session: Session): void {
    this.broadcastsWanted = true;
    bindBroadcastQueue(session, this.options.messageExchange).catch((error: unknown) => {
      if (session.closed || this.closed) return;
      this.options.logger.warn('Binding the broadcast queue on the broker failed; reconnecting', error);
      breakSession(session);
    });
  }

  /**
   * Whether a broadcast sent now must wait for the broadcast queue's bind: this
   * communicator has broadcast subscribers, so it receives its own broadcasts,
   * but its queue is not bound yet. (A subscriber added and removed within one
   * turn — a process that ends at once — never has the queue bound.)
   */
  private awaitsBroadcastBind(session: Session): boolean {
    return this.broadcastSubscribers.size > 0 && !session.broadcastBound;
  }

  /** Brings the task consumer in line with the task subscribers (serialised). */
  private scheduleTaskConsumerUpdate(): void {
    this.taskConsumerUpdates = this.taskConsumerUpdates
      .then(() => this.updateTaskConsumer())
      .catch((error: unknown) => {
        if (!this.closed && this.session !== undefined && !this.session.closed) {
          this.options.logger.warn('Updating the task consumer on the broker failed; reconnecting', error);
          breakSession(this.session);
        }
      });
  }

  private async updateTaskConsumer(): Promise<void> {
    const session = this.session;
    if (session === undefined || session.closed || this.closed) return;
    const wantTasks = this.taskSubscribers.size > 0;
    if (wantTasks && session.taskConsumerTag === undefined) {
      const channel = session.tasks;
      const { consumerTag } = await channel.consume(this.options.taskQueue, (message) => this.onTask(session, channel, message));
      if (session.tasks === channel) session.taskConsumerTag = consumerTag;
    } else if (!wantTasks && session.taskConsumerTag !== undefined) {
      const consumerTag = session.taskConsumerTag;
      session.taskConsumerTag = undefined;
      await session.tasks.cancel(consumerTag);
    }
  }

  // ---------------------------------------------------------------- publishing

  /**
   * Publishes the broadcasts sent since the last publish as one message: at
   * once if it can, else held (see {@link RmqCommunicator.publishHeldBroadcasts}).
   * Runs at the end of the synchronous code that sent them, and before any
   * other send, so that messages leave in the order they were sent.
   */
  private flushBroadcasts(): void {
    const batch = this.broadcastBatch;
    if (batch === undefined) return;
    this.broadcastBatch = undefined;
    if (this.closed) {
      batch.reject(new CommunicatorClosed());
      return;
    }
    const message = broadcastMessage(batch.texts);
    const session = this.session;
    if (session !== undefined && this.heldBroadcasts.length === 0 && !this.awaitsBroadcastBind(session)) {
      if (this.publishBroadcast(session, message)) {
        batch.resolve(true);
        return;
      }
    }
    this.holdBroadcast({ message, resolve: batch.resolve, reject: batch.reject });
  }

  /**
   * Writes a broadcast message to the sender channel; `false` if the channel
   * is closed (the connection is being lost). Not confirmed by the broker.
   */
  private publishBroadcast(session: Session, message: OutgoingMessage): boolean {
    try {
      session.sender.publish(this.options.messageExchange, BROADCAST_ROUTING_KEY, message.content, message.properties);
      return true;
    } catch {
      return false;
    }
  }

  /** Queues a broadcast message behind those already held; they are published in order. */
  private holdBroadcast(held: HeldBroadcast): void {
    this.heldBroadcasts.push(held);
    if (this.heldBroadcasts.length === 1) {
      this.publishHeldBroadcasts().catch((error: unknown) => {
        for (const waiting of this.heldBroadcasts.splice(0)) waiting.reject(error);
      });
    }
  }

  /**
   * Publishes the held broadcasts in order, once there is a connection (up to
   * `timeoutMs`) and — if this communicator has broadcast subscribers — its
   * broadcast queue is bound.
   */
  private async publishHeldBroadcasts(): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    const held = this.heldBroadcasts;
    while (held.length > 0) {
      // Subscriptions changed in this turn are synced at its end.
      if (this.rpcSyncScheduled !== undefined) await this.rpcSyncScheduled;
      const session = await this.whenConnected(deadline);
      if (this.awaitsBroadcastBind(session)) {
        this.bindBroadcasts(session);
        const bound = await bindBroadcastQueue(session, this.options.messageExchange).then(
          () => true,
          () => false,
        );
        if (!bound) await new Promise((resolve) => setImmediate(resolve)); // the session is being replaced
        continue;
      }
      for (let next = held[0]; next !== undefined && this.publishBroadcast(session, next.message); next = held[0]) {
        held.shift();
        next.resolve(true);
      }
      if (held.length === 0) return;
      if (this.closed) throw new CommunicatorClosed();
      if (Date.now() > deadline) {
        throw new TimeoutError(`No connection to the message broker within ${this.options.timeoutMs} ms`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Writes an RPC message to the sender channel (not confirmed: an unroutable
   * one comes back as a return, and a lost connection rejects the waiting reply).
   */
  private publishRpc(session: Session, routingKey: string, message: OutgoingMessage, fail: (error: unknown) => void): void {
    try {
      session.sender.publish(this.options.messageExchange, routingKey, message.content, message.properties);
    } catch (error) {
      fail(new BrokerConnectionLost(`The RPC message could not be sent: ${describeError(error)}`, { cause: error }));
    }
  }

  /**
   * Publishes with a publisher confirm and resolves once the broker confirmed
   * it. If the channel closes before the confirm (a lost connection), publishes
   * again on the next connection. Gives up with `TimeoutError` after `timeoutMs`.
   */
  private async publishConfirmed(exchange: string, routingKey: string, message: OutgoingMessage, what: string): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const session = await this.whenConnected(deadline);
      const outcome = await this.confirmOnce(session, exchange, routingKey, message, deadline, what);
      if (outcome === SENT) return;
      if (this.closed) throw new CommunicatorClosed();
      // The channel closed before the broker confirmed: try again on the next connection.
    }
  }

  private confirmOnce(
    session: Session,
    exchange: string,
    routingKey: string,
    message: OutgoingMessage,
    deadline: number,
    what: string,
  ): Promise<typeof SENT | 'retry'> {
    const messageId = message.properties.messageId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new TimeoutError(`The broker did not confirm the ${what} within ${this.options.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      const finish = (error: unknown): void => {
        clearTimeout(timer);
        const returned = messageId !== undefined && this.returnedTasks.delete(messageId);
        if (returned) reject(new UnroutableError(`The ${what} could not be routed to queue '${routingKey}'`));
        else if (!error) resolve(SENT);
        else if (describeError(error) === 'channel closed') resolve('retry');
        else reject(new DeliveryFailed(`The broker refused the ${what}: ${describeError(error)}`, { cause: error }));
      };
      try {
        session.publisher.publish(exchange, routingKey, message.content, message.properties, finish);
      } catch {
        // The channel is closed already: the connection is being lost.
        clearTimeout(timer);
        resolve('retry');
      }
    });
  }

  /** A mandatory message came back unroutable: an RPC without recipient, or a task without queue. */
  private onReturn(message: Message): void {
    const id: unknown = message.properties.correlationId;
    if (typeof id !== 'string') return;
    if (message.properties.type === 'rpc') {
      const recipient = message.fields.routingKey.replace(/^rpc\./, '');
      this.replies.get(id)?.reject(new UnroutableError(`Nobody subscribes to RPC messages for '${recipient}'`));
    } else if (message.properties.type === 'task' && typeof message.properties.messageId === 'string') {
      this.returnedTasks.add(message.properties.messageId);
    }
  }

  /**
   * Sends a reply to `replyTo` at once, or — with no connection right now —
   * once there is one (up to `timeoutMs`; the promise rejects if that fails).
   * Returns `undefined` when it was sent at once.
   */
  private sendReply(replyTo: string, correlationId: string, content: Buffer): Promise<void> | undefined {
    this.flushBroadcasts(); // what was sent before goes out before
    const properties = messageProperties('reply', { correlationId });
    const session = this.session;
    if (session !== undefined && this.publishReply(session, replyTo, content, properties)) return undefined;
    return this.sendReplyLater(replyTo, content, properties);
  }

  private publishReply(session: Session, replyTo: string, content: Buffer, properties: Options.Publish): boolean {
    try {
      session.sender.publish('', replyTo, content, properties);
      return true;
    } catch {
      return false; // the channel is closed: the connection is being lost
    }
  }

  private async sendReplyLater(replyTo: string, content: Buffer, properties: Options.Publish): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const session = await this.whenConnected(deadline);
      if (this.publishReply(session, replyTo, content, properties)) return;
      if (this.closed) throw new CommunicatorClosed();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  // ---------------------------------------------------------------- receiving

  private onReply(session: Session, message: ConsumeMessage | null): void {
    if (message === null) {
      this.consumerCancelled(session, 'reply');
      return;
    }
    let reply: ReplyEnvelope;
    try {
      reply = decodeReply(message);
      if (typeof message.properties.correlationId !== 'string') throw new MalformedMessage('a reply needs a correlation id');
    } catch (error) {
      rejectMalformed(this.options.logger, session.consumer, message, this.replyQueue, error);
      return;
    }
    session.consumerAcks.ack(message);
    const pending = this.replies.get(message.properties.correlationId);
    if (pending === undefined) return; // late, or a second reply to a redelivered task
    if (reply.status === 'result') pending.resolve(reply.value);
    else if (reply.status === 'unroutable') pending.reject(new UnroutableError(reply.message));
    else {
      const { error } = reply;
      pending.reject(
        new RemoteException(error.message, {
          remoteName: error.name,
          ...(error.stack === undefined ? {} : { remoteStack: error.stack }),
          cause: error,
        }),
      );
    }
  }

  private onBroadcast(session: Session, message: ConsumeMessage | null): void {
    if (message === null) {
      this.consumerCancelled(session, 'broadcast');
      return;
    }
    let broadcasts;
    try {
      broadcasts = decodeBroadcasts(message);
    } catch (error) {
      rejectMalformed(this.options.logger, session.consumer, message, session.broadcastQueue, error);
      return;
    }
    session.consumerAcks.ack(message);
    for (const broadcast of broadcasts) this.deliverBroadcast(broadcast);
  }

  /** Hands one broadcast to every current broadcast subscriber. */
  private deliverBroadcast({ body, sender, subject, correlationId }: BroadcastEnvelope): void {
    this.broadcastSubscribers.forEachCurrent((identifier, subscriber) => {
      try {
        const result = subscriber(this, body, sender, subject, correlationId);
        if (isThenable(result)) {
          Promise.resolve(result).catch((error: unknown) => this.broadcastSubscriberFailed(identifier, error));
        }
      } catch (error) {
        this.broadcastSubscriberFailed(identifier, error);
      }
    });
  }

  private broadcastSubscriberFailed(identifier: string, error: unknown): void {
    this.options.logger.error(`Broadcast subscriber '${identifier}' failed`, error);
  }

  /** An RPC message on this connection's RPC queue: dispatched by its routing key (`rpc.<identifier>`). */
  private onRpc(session: Session, message: ConsumeMessage | null): void {
    if (message === null) {
      this.consumerCancelled(session, 'RPC');
      return;
    }
    let msg: unknown;
    const { replyTo, correlationId } = message.properties as { replyTo: unknown; correlationId: unknown };
    const identifier = rpcIdentifier(message.fields.routingKey);
    try {
      msg = decodeMessage(message, 'rpc');
      if (typeof replyTo !== 'string' || typeof correlationId !== 'string') {
        throw new MalformedMessage('an RPC message needs a reply-to queue and a correlation id');
      }
      if (identifier === undefined) throw new MalformedMessage(`'${message.fields.routingKey}' is not an RPC routing key`);
    } catch (error) {
      rejectMalformed(this.options.logger, session.consumer, message, session.rpcQueue, error);
      return;
    }
    session.consumerAcks.ack(message);
    const subscriber = this.rpcSubscribers.get(identifier);
    if (subscriber === undefined) {
      // Removed just now (its binding is on its way out): the sender fails fast instead of timing out.
      const unroutable: ReplyEnvelope = { status: 'unroutable', message: `Nobody subscribes to RPC messages for '${identifier}'` };
      this.replyToRpc(identifier, replyTo, correlationId, unroutable);
      return;
    }
    let result: unknown;
    try {
      result = subscriber(this, msg);
    } catch (error) {
      this.replyToRpc(identifier, replyTo, correlationId, { status: 'exception', error: asError(error) });
      return;
    }
    if (!isThenable(result)) {
      this.replyToRpc(identifier, replyTo, correlationId, { status: 'result', value: result });
      return;
    }
    void settleOutcome(() => result).then((reply) => this.replyToRpc(identifier, replyTo, correlationId, reply));
  }

  private replyToRpc(identifier: string, replyTo: string, correlationId: string, reply: ReplyEnvelope): void {
    const failed = (error: unknown): void => {
      if (!this.closed) this.options.logger.warn(`Could not send the reply to an RPC for '${identifier}'`, error);
    };
    try {
      this.sendReply(replyTo, correlationId, encodeReply(reply))?.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private onTask(session: Session, channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      if (session.tasks === channel) session.taskConsumerTag = undefined;
      this.consumerCancelled(session, 'task');
      return;
    }
    this.worker.handle(channel, message);
  }

  /** The broker cancelled one of our consumers (e.g. its queue was deleted): rebuild the session. */
  private consumerCancelled(session: Session, which: string): void {
    if (session.closed || this.closed) return;
    this.options.logger.warn(`The broker cancelled the ${which} consumer; reconnecting`);
    breakSession(session);
  }
}

