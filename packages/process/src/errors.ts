/** The process was killed; the message contains the kill message, if one was given. */
export class KilledError extends Error {
  /** The kill message, if one was given. */
  readonly killMessage: string | undefined;

  constructor(message?: string) {
    super(message === undefined || message === '' ? 'The process was killed' : message);
    this.name = 'KilledError';
    this.killMessage = message;
  }
}

/** A mutating operation (execute, out, launch, ...) was attempted on a closed (terminated) process. */
export class ClosedError extends Error {
  constructor(message = 'Process is closed') {
    super(message);
    this.name = 'ClosedError';
  }
}
