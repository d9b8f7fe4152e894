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

/** Handles a broadcast. Its return value is ignored; errors are logged. */
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
 * After {@link Communicator.close} every method rejects (or throws) with
 * `CommunicatorClosed`.
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
  /** Sends `msg` to the RPC subscriber `recipientId` and resolves with its reply. */
  rpcSend(recipientId: string, msg: unknown): Promise<unknown>;
  /** Sends a task to one task subscriber and resolves with its result. */
  taskSend(task: unknown, options?: TaskSendOptions): Promise<unknown>;
  /** Sends a broadcast to every broadcast subscriber; resolves `true` once sent. */
  broadcastSend(body: unknown, options?: BroadcastSendOptions): Promise<boolean>;
  /** Closes the communicator; idempotent. */
  close(): Promise<void>;
  /** Whether {@link Communicator.close} has been called. */
  isClosed(): boolean;
}
