/** A task body that is not a well-formed launch, continue or create task. */
export class MalformedTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTaskError';
  }
}

/** A process ended without finishing: it was killed or it excepted (see {@link ProcessEndedError.state}). */
export class ProcessEndedError extends Error {
  constructor(
    message: string,
    /** The pid of the process, as a string. */
    readonly pid: string,
    /** The terminal state: `'killed'` or `'excepted'`. */
    readonly state: 'killed' | 'excepted',
  ) {
    super(message);
    this.name = 'ProcessEndedError';
  }
}
