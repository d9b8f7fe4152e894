/** Base class of the errors raised by a state machine's own bookkeeping. */
export class StateMachineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateMachineError';
  }
}

/** Options of {@link TransitionFailed}. */
export interface TransitionFailedOptions {
  /** Why the transition failed, when no underlying error says it. */
  reason?: string;
  /** The error that made the transition fail. */
  cause?: unknown;
}

/**
 * A state transition failed: the target is not allowed from the current state,
 * a transition was already in progress, or entering/exiting a state threw (then
 * `cause` holds the error).
 */
export class TransitionFailed extends StateMachineError {
  /** The label of the state the machine was in (`undefined` before the first state). */
  readonly initialState: string | undefined;
  /** The label of the state the machine was going to (`undefined` if it was not known). */
  readonly finalState: string | undefined;

  constructor(initialState: string | undefined, finalState: string | undefined, options: TransitionFailedOptions = {}) {
    const why = options.reason ?? describe(options.cause);
    super(
      `Transition from '${String(initialState)}' to '${String(finalState)}' failed${why === undefined ? '' : `: ${why}`}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'TransitionFailed';
    this.initialState = initialState;
    this.finalState = finalState;
  }
}

/** The operation is not allowed in the machine's (or state's) current state. */
export class InvalidStateError extends StateMachineError {
  constructor(message = 'The operation is not allowed in the current state', options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidStateError';
  }
}

/** An event (see {@link event}) was fired in a state that does not accept it, or led to a state it may not. */
export class EventError extends StateMachineError {
  /** The name of the event. */
  readonly event: string;

  constructor(event: string, message: string) {
    super(message);
    this.name = 'EventError';
    this.event = event;
  }
}

/**
 * A hook that must call its base implementation (`super.enter()`, `super.onCreate()`, ...)
 * returned without doing so.
 */
export class SuperNotCalledError extends StateMachineError {
  /** The hook's name. */
  readonly hook: string;
  /** The name of the class whose override forgot to call `super`. */
  readonly className: string;

  constructor(hook: string, className: string) {
    super(`Base '${hook}' was not called from '${className}': did you forget to call super.${hook}()?`);
    this.name = 'SuperNotCalledError';
    this.hook = hook;
    this.className = className;
  }
}

function describe(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause) ?? typeof cause;
  } catch {
    return typeof cause;
  }
}
