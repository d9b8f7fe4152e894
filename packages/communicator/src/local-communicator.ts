import type {
  BroadcastSendOptions,
  BroadcastSubscriber,
  Communicator,
  RpcSubscriber,
  TaskSendOptions,
  TaskSubscriber,
} from './communicator.js';
import { CommunicatorClosed, TaskRejected, UnroutableError } from './errors.js';
import { PendingReplies, type PendingReply } from './pending-replies.js';
import { SubscriberRegistry } from './subscriber-registry.js';
import { toRemoteException } from './to-remote-exception.js';

/** Where a {@link LocalCommunicator} reports errors nobody else would see. */
export interface CommunicatorLogger {
  /** Reports an error thrown by a broadcast subscriber or by a `noReply` task's subscriber. */
  error(message: string, error: unknown): void;
}

/** Options of the {@link LocalCommunicator} constructor. */
export interface LocalCommunicatorOptions {
  /** Receives errors of broadcast subscribers and of `noReply` tasks. Default: `console`. */
  logger?: CommunicatorLogger;
}

/** A task sent and not yet taken by a subscriber. */
interface QueuedTask {
  readonly task: unknown;
  /** The sender's reply; `undefined` for a `noReply` task. */
  readonly reply: PendingReply | undefined;
}

/**
 * A {@link Communicator} within one JavaScript process: senders and subscribers
 * share this object (kiwipy's `LocalCommunicator`).
 *
 * - Delivery is asynchronous: a subscriber is never called inside `rpcSend`,
 *   `taskSend` or `broadcastSend`, but in a microtask after it, so code behaves
 *   as it would over a broker.
 * - Messages are delivered as they are, not serialized: a subscriber receives
 *   the very object that was sent, and the sender receives the very value the
 *   subscriber returned. Do not rely on this if the code may later run over a
 *   broker (e.g. treat received messages as read-only).
 * - RPC: a recipient without a subscriber rejects with {@link UnroutableError};
 *   a throw or rejection in the subscriber rejects with {@link RemoteException}
 *   (its `cause` is the original error); a returned promise is awaited.
 * - Tasks: a task goes to the subscribers in the order they were added until
 *   one does not throw {@link TaskRejected} (a rejection of its promise with
 *   `TaskRejected` counts too). If every subscriber rejects it, the sender's
 *   promise rejects with `TaskRejected`. A task sent while there is no task
 *   subscriber waits until one is added. With `noReply` the send resolves
 *   `undefined` at once and a failure of the task is logged.
 * - Broadcasts go to every subscriber registered when `broadcastSend` is called
 *   (and still registered at delivery); their errors are logged, never
 *   propagated.
 * - `close()` rejects every send still waiting for its reply (including tasks
 *   waiting for a subscriber) with {@link CommunicatorClosed}, drops all
 *   subscribers, and makes every later call throw or reject with it.
 */
export class LocalCommunicator implements Communicator {
  private readonly rpcSubscribers = new SubscriberRegistry<RpcSubscriber>('rpc');
  private readonly taskSubscribers = new SubscriberRegistry<TaskSubscriber>('task');
  private readonly broadcastSubscribers = new SubscriberRegistry<BroadcastSubscriber>('broadcast');
  private readonly replies = new PendingReplies();
  private waitingTasks: QueuedTask[] = [];
  private closed = false;
  private readonly logger: CommunicatorLogger;

  constructor(options: LocalCommunicatorOptions = {}) {
    this.logger = options.logger ?? console;
  }

  /** Whether `close()` has been called. */
  isClosed(): boolean {
    return this.closed;
  }

  /**
   * Closes the communicator: rejects every send still waiting for its reply with
   * {@link CommunicatorClosed} and removes all subscribers. Idempotent.
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.waitingTasks = [];
    this.rpcSubscribers.clear();
    this.taskSubscribers.clear();
    this.broadcastSubscribers.clear();
    this.replies.rejectAll(new CommunicatorClosed());
    return Promise.resolve();
  }

  /** Subscribes to RPC messages sent to `identifier` (a fresh one when omitted); returns the identifier. */
  addRpcSubscriber(subscriber: RpcSubscriber, identifier?: string): string {
    this.ensureOpen();
    return this.rpcSubscribers.add(subscriber, identifier);
  }

  /** Removes an RPC subscriber; throws if there is none under `identifier`. */
  removeRpcSubscriber(identifier: string): void {
    this.ensureOpen();
    this.rpcSubscribers.remove(identifier);
  }

  /** Subscribes to tasks; returns the identifier (a fresh one when omitted). Tasks waiting for a subscriber are then delivered. */
  addTaskSubscriber(subscriber: TaskSubscriber, identifier?: string): string {
    this.ensureOpen();
    const id = this.taskSubscribers.add(subscriber, identifier);
    if (this.waitingTasks.length > 0) {
      const waiting = this.waitingTasks;
      this.waitingTasks = [];
      queueMicrotask(() => {
        for (const queued of waiting) this.deliverTask(queued);
      });
    }
    return id;
  }

  /** Removes a task subscriber; throws if there is none under `identifier`. */
  removeTaskSubscriber(identifier: string): void {
    this.ensureOpen();
    this.taskSubscribers.remove(identifier);
  }

  /** Subscribes to broadcasts; returns the identifier (a fresh one when omitted). */
  addBroadcastSubscriber(subscriber: BroadcastSubscriber, identifier?: string): string {
    this.ensureOpen();
    return this.broadcastSubscribers.add(subscriber, identifier);
  }

  /** Removes a broadcast subscriber; throws if there is none under `identifier`. */
  removeBroadcastSubscriber(identifier: string): void {
    this.ensureOpen();
    this.broadcastSubscribers.remove(identifier);
  }

  /** Sends `msg` to the RPC subscriber `recipientId` and resolves with its reply. */
  rpcSend(recipientId: string, msg: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    return this.replies.open((reply) => {
      queueMicrotask(() => this.deliverRpc(recipientId, msg, reply));
    });
  }

  /** Sends a task to one task subscriber and resolves with its result. */
  taskSend(task: unknown, options: TaskSendOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    if (options.noReply === true) {
      this.enqueueTask({ task, reply: undefined });
      return Promise.resolve(undefined);
    }
    return this.replies.open((reply) => this.enqueueTask({ task, reply }));
  }

  /** Sends a broadcast to every broadcast subscriber; resolves `true` once sent. */
  broadcastSend(body: unknown, options: BroadcastSendOptions = {}): Promise<boolean> {
    if (this.closed) return Promise.reject(new CommunicatorClosed());
    if (this.broadcastSubscribers.size > 0) {
      const recipients = this.broadcastSubscribers.snapshot();
      queueMicrotask(() => this.deliverBroadcast(recipients, body, options));
    }
    return Promise.resolve(true);
  }

  private ensureOpen(): void {
    if (this.closed) throw new CommunicatorClosed();
  }

  private deliverRpc(recipientId: string, msg: unknown, reply: PendingReply): void {
    if (reply.settled) return;
    const subscriber = this.rpcSubscribers.get(recipientId);
    if (subscriber === undefined) {
      reply.reject(new UnroutableError(`Unknown RPC recipient '${recipientId}'`));
      return;
    }
    let result: unknown;
    try {
      result = subscriber(this, msg);
    } catch (error) {
      reply.reject(toRemoteException(error));
      return;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(
        (value) => reply.resolve(value),
        (error: unknown) => reply.reject(toRemoteException(error)),
      );
    } else {
      reply.resolve(result);
    }
  }

  private enqueueTask(queued: QueuedTask): void {
    if (this.taskSubscribers.size === 0) {
      this.waitingTasks.push(queued);
    } else {
      queueMicrotask(() => this.deliverTask(queued));
    }
  }

  private deliverTask(queued: QueuedTask): void {
    if (this.closed || queued.reply?.settled === true) return;
    const candidates = this.taskSubscribers.snapshot();
    if (candidates.length === 0) {
      this.waitingTasks.push(queued);
      return;
    }
    this.offerTask(queued, candidates).then(
      (outcome) => {
        if (outcome === NOBODY_TRIED) this.enqueueTask(queued);
        else queued.reply?.resolve(outcome.result);
      },
      (error: unknown) => {
        if (queued.reply !== undefined) queued.reply.reject(error);
        else if (!this.closed) this.logger.error('A task sent with noReply failed', error);
      },
    );
  }

  /**
   * Offers a task to the candidates in turn until one takes it; resolves with
   * its result, or with {@link NOBODY_TRIED} when every candidate had been
   * removed before its turn.
   */
  private async offerTask(
    queued: QueuedTask,
    candidates: ReadonlyArray<[string, TaskSubscriber]>,
  ): Promise<{ result: unknown } | typeof NOBODY_TRIED> {
    let lastRejection: TaskRejected | undefined;
    for (const [identifier, subscriber] of candidates) {
      if (this.closed) throw new CommunicatorClosed();
      if (queued.reply?.settled === true) return { result: undefined };
      if (!this.taskSubscribers.holds(identifier, subscriber)) continue;
      try {
        return { result: await subscriber(this, queued.task) };
      } catch (error) {
        if (!(error instanceof TaskRejected)) throw toRemoteException(error);
        lastRejection = error;
      }
    }
    if (lastRejection === undefined) return NOBODY_TRIED;
    throw new TaskRejected('Every task subscriber rejected the task', { cause: lastRejection });
  }

  private deliverBroadcast(
    recipients: ReadonlyArray<[string, BroadcastSubscriber]>,
    body: unknown,
    options: BroadcastSendOptions,
  ): void {
    const { sender, subject, correlationId } = options;
    for (const [identifier, subscriber] of recipients) {
      if (!this.broadcastSubscribers.holds(identifier, subscriber)) continue;
      try {
        const result = subscriber(this, body, sender, subject, correlationId);
        if (isThenable(result)) {
          Promise.resolve(result).catch((error: unknown) => this.logBroadcastError(identifier, error));
        }
      } catch (error) {
        this.logBroadcastError(identifier, error);
      }
    }
  }

  private logBroadcastError(identifier: string, error: unknown): void {
    this.logger.error(`Broadcast subscriber '${identifier}' failed`, error);
  }
}

/** Marks a task that no subscriber was offered (they were all removed meanwhile). */
const NOBODY_TRIED = Symbol('nobody tried');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
