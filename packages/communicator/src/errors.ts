/**
 * Base class of every error raised by a {@link Communicator}.
 */
export class CommunicatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A subscriber on the remote side threw (or its promise rejected) while handling
 * an RPC or a task. The sender's promise rejects with this error; the remote
 * error's name and message are kept in {@link RemoteException.remoteName} and the message.
 */
export class RemoteException extends CommunicatorError {
  /** The `name` of the error thrown on the remote side (e.g. `TypeError`). */
  readonly remoteName: string;
  /** The remote error's stack, when the remote side sent one. */
  readonly remoteStack: string | undefined;

  constructor(message: string, options?: { remoteName?: string; remoteStack?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.remoteName = options?.remoteName ?? 'Error';
    this.remoteStack = options?.remoteStack;
  }
}

/** A message could not be delivered. */
export class DeliveryFailed extends CommunicatorError {}

/** No subscriber is listening under the recipient identifier of an RPC. */
export class UnroutableError extends DeliveryFailed {}

/**
 * Thrown by a task subscriber to refuse a task: the task goes to the next
 * subscriber (or, over a broker, back to the queue for another worker).
 */
export class TaskRejected extends CommunicatorError {}

/** The communicator has been closed; every call after `close()` rejects with this. */
export class CommunicatorClosed extends CommunicatorError {
  constructor(message = 'The communicator is closed') {
    super(message);
  }
}

/**
 * A subscriber was added under an identifier that is already in use by a
 * subscriber of the same kind (RPC, task or broadcast; the kinds have separate
 * identifier spaces).
 */
export class DuplicateSubscriberIdentifier extends CommunicatorError {
  constructor(readonly identifier: string) {
    super(`A subscriber with the identifier '${identifier}' already exists`);
  }
}

/**
 * A subscriber was to be removed under an identifier that has no subscriber
 * (kiwipy raises `ValueError` here).
 */
export class UnknownSubscriberIdentifier extends CommunicatorError {
  constructor(
    readonly identifier: string,
    kind = '',
  ) {
    super(`There is no ${kind === '' ? '' : `${kind} `}subscriber with the identifier '${identifier}'`);
  }
}

/** A remote call did not complete within its time limit. */
export class TimeoutError extends CommunicatorError {}
