/**
 * Handles an RPC message addressed to this subscriber's identifier. Its return
 * value (awaited if it is a promise) is the reply; a throw reaches the sender as
 * a {@link RemoteException}.
 */
export type RpcSubscriber = (communicator: Communicator, msg: unknown) => unknown;

/**
 * Handles a task. Its return value (awaited if it is a promise) is the task's
 * result; throwing {@link TaskRejected} hands the task to another subscriber.
 */
export type TaskSubscriber = (communicator: Communicator, task: unknown) => unknown;

/**
 * Handles a broadcast. Its return value is ignored (a returned promise is not
 * awaited by the sender); its errors are logged, never propagated. Wrap it in a
 * `BroadcastFilter` to receive only some subjects or senders.
 */
export type BroadcastSubscriber = (
  communicator: Communicator,
  body: unknown,
  sender: string | undefined,
  subject: string | undefined,
  correlationId: string | undefined,
) => unknown;

/** Options of {@link Communicator.taskSend}. */
export interface TaskSendOptions {
  /** Do not wait for the result: the promise resolves (to `undefined`) once the task is handed over. */
  noReply?: boolean;
}

/** Options of {@link Communicator.broadcastSend}. */
export interface BroadcastSendOptions {
  /** Who sends the broadcast (for example a process's pid). */
  sender?: string;
  /** What the broadcast is about (for example `state_changed.running.waiting`). */
  subject?: string;
  /** An identifier relating this broadcast to others. */
  correlationId?: string;
}

/**
 * Messaging between processes and their controllers: point-to-point RPC,
 * work-queue tasks and publish/subscribe broadcasts. kiwipy's `Communicator`.
 *
 * - Subscribers are called with the communicator as first argument, never
 *   synchronously inside a send. A promise a subscriber returns is awaited and
 *   its value is the reply.
 * - RPC, task and broadcast subscribers have separate identifier spaces (a
 *   process subscribes for RPC and for broadcasts under its pid). Adding under a
 *   taken identifier throws `DuplicateSubscriberIdentifier`; removing an unknown
 *   one throws (`UnknownSubscriberIdentifier` in the implementations here).
 * - An RPC to an identifier with no subscriber rejects with `UnroutableError`;
 *   an error of an RPC or task subscriber reaches the sender as `RemoteException`.
 * - A task goes to one subscriber; a subscriber that throws `TaskRejected` (or
 *   whose promise rejects with it) hands it on to another.
 * - After {@link Communicator.close} the add and remove methods throw, and the
 *   send methods reject (never throw), with `CommunicatorClosed`; sends still
 *   waiting for a reply at that moment reject with it too.
 *
 * `@plumpy-ts/communicator/testkit` checks an implementation against all of this.
 */
export interface Communicator {
  /** Subscribes to RPC messages sent to `identifier` (a fresh one when omitted); returns the identifier. */
  addRpcSubscriber(subscriber: RpcSubscriber, identifier?: string): string;
  /** Removes an RPC subscriber; throws if there is none under `identifier`. */
  removeRpcSubscriber(identifier: string): void;
  /** Subscribes to tasks; returns the identifier (a fresh one when omitted). */
  addTaskSubscriber(subscriber: TaskSubscriber, identifier?: string): string;
  /** Removes a task subscriber; throws if there is none under `identifier`. */
  removeTaskSubscriber(identifier: string): void;
  /** Subscribes to broadcasts; returns the identifier (a fresh one when omitted). */
  addBroadcastSubscriber(subscriber: BroadcastSubscriber, identifier?: string): string;
  /** Removes a broadcast subscriber; throws if there is none under `identifier`. */
  removeBroadcastSubscriber(identifier: string): void;
  /**
   * Sends `msg` to the RPC subscriber `recipientId` and resolves with its reply;
   * rejects with `UnroutableError` when nobody subscribes under `recipientId`, or
   * `RemoteException` when the subscriber fails.
   */
  rpcSend(recipientId: string, msg: unknown): Promise<unknown>;
  /**
   * Sends a task to one task subscriber and resolves with its result (rejects
   * with `RemoteException` when the subscriber fails). A task sent while nobody
   * subscribes waits (in a queue, over a broker) until a subscriber takes it.
   */
  taskSend(task: unknown, options?: TaskSendOptions): Promise<unknown>;
  /** Sends a broadcast to every broadcast subscriber; resolves `true` once sent (also when nobody listens). */
  broadcastSend(body: unknown, options?: BroadcastSendOptions): Promise<boolean>;
  /** Closes the communicator, freeing its resources; idempotent. */
  close(): Promise<void>;
  /** Whether {@link Communicator.close} has been called. */
  isClosed(): boolean;
}
