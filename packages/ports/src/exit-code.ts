/** The plain-data form of an {@link ExitCode}. */
export interface ExitCodeData {
  /** The exit status. */
  status: number;
  /** The symbolic name, if any. */
  name?: string;
  /** The message, if any. */
  message?: string;
}

/**
 * A declared way for a process to finish: a numeric status (0 is success), a name and a message.
 * Declared with `spec.exitCode(status, name, message)` and returned from a step as
 * `this.exitCodes.NAME`. Instances are frozen.
 */
export class ExitCode {
  /** The exit status; 0 means success. */
  readonly status: number;
  /** The symbolic name, e.g. `'ERROR_INVALID_INPUT'`. */
  readonly name: string | undefined;
  /** A human-readable message. */
  readonly message: string | undefined;

  /**
   * @param status - the exit status (a non-negative integer, default 0)
   * @param name - the symbolic name
   * @param message - the message; may contain `{placeholders}` filled by {@link ExitCode.format}
   */
  constructor(status = 0, name?: string, message?: string) {
    if (!Number.isInteger(status) || status < 0) {
      throw new TypeError(`exit status must be a non-negative integer, got ${String(status)}`);
    }
    this.status = status;
    this.name = name;
    this.message = message;
    Object.freeze(this);
  }

  /**
   * A copy whose message has each `{key}` replaced by `String(params[key])`.
   *
   * @throws Error when the message uses a key that `params` lacks
   */
  format(params: Readonly<Record<string, unknown>>): ExitCode {
    if (this.message === undefined) return this;
    const message = this.message.replace(/\{(\w+)\}/g, (_match, key: string) => {
      if (!Object.hasOwn(params, key)) {
        throw new Error(`exit code '${this.name ?? this.status}' message needs a value for '${key}'`);
      }
      return String(params[key]);
    });
    return new ExitCode(this.status, this.name, message);
  }

  /** A plain-data copy: `{ status, name, message }`. */
  toJSON(): ExitCodeData {
    const json: ExitCodeData = { status: this.status };
    if (this.name !== undefined) json.name = this.name;
    if (this.message !== undefined) json.message = this.message;
    return json;
  }
}
