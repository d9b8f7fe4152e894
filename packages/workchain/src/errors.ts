/**
 * A malformed outline: an entry that is not a step, a step that takes
 * parameters, a name that is not a method of the work chain, a conditional
 * without a body, ... Thrown when the outline is declared (`spec.outline(...)`,
 * `if_(...)`, `while_(...)`) or, for what needs the class (method names), when
 * the class's spec is first built (`Cls.spec()`, or the first construction).
 * It is a `TypeError`.
 */
export class OutlineError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'OutlineError';
  }
}

/**
 * An awaitable put into the context with `toContext` failed: a promise
 * rejected, or a child process excepted or was killed. The work chain becomes
 * EXCEPTED with this error; `cause` is the original error.
 */
export class AwaitableFailedError extends Error {
  /** The context key the awaitable was registered under. */
  readonly key: string;
  /** The child process's pid, when the awaitable was a child process. */
  readonly pid: string | number | undefined;

  constructor(message: string, key: string, pid: string | number | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'AwaitableFailedError';
    this.key = key;
    this.pid = pid;
  }
}
