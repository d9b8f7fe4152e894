/** A function run as a process step: called with the process as `this`. */
export type StepFunction = (...args: never[]) => unknown;

/** A step named by a method name of the process, or given as a function (whose name is kept). */
export type StepReference = string | StepFunction;

/** What a step returns to tell the process what to do next. */
export abstract class Command {}

/** The name under which a step reference is saved: its string, or the function's name. */
export function stepName(step: StepReference): string {
  if (typeof step === 'string') return step;
  const name = step.name;
  return name.startsWith('bound ') ? name.slice(6) : name;
}

/**
 * Run another step next, without giving the event loop away: `new Continue(this.next, ...args)`
 * or `new Continue('next', ...args)`. A function is kept with its name, so that the
 * command can be saved as `{ method, args }` and restored by name.
 */
export class Continue extends Command {
  /** The method name of the step. */
  readonly method: string;
  /** The function given, if one was (otherwise the method is looked up by name). */
  readonly fn: StepFunction | undefined;
  /** Arguments for the step. */
  readonly args: readonly unknown[];

  constructor(step: StepReference, ...args: unknown[]) {
    super();
    this.method = stepName(step);
    this.fn = typeof step === 'string' ? undefined : step;
    this.args = args;
  }
}

/**
 * Enter WAITING until {@link Process.resume} is called; then `continueFn` runs
 * (with the resume value, if one was given). Without a `continueFn` the process
 * finishes with the resume value as its result. `msg` describes what is awaited;
 * `data` is handed to `onWait`.
 */
export class Wait extends Command {
  /** The method name of the step to run on resume, if any. */
  readonly method: string | undefined;
  /** The function given, if one was. */
  readonly fn: StepFunction | undefined;
  /** What the process waits for. */
  readonly msg: string | undefined;
  /** Extra data for `onWait`. */
  readonly data: unknown;

  constructor(continueFn?: StepReference, msg?: string, data?: unknown) {
    super();
    this.method = continueFn === undefined ? undefined : stepName(continueFn);
    this.fn = typeof continueFn === 'function' ? continueFn : undefined;
    this.msg = msg;
    this.data = data;
  }
}

/** Finish the process with `result`; `successful` says whether it succeeded. */
export class Stop extends Command {
  constructor(
    /** The result of the process. */
    readonly result: unknown,
    /** Whether the process succeeded. */
    readonly successful: boolean,
  ) {
    super();
  }
}

/** Kill the process, with an optional message (which becomes its status). */
export class Kill extends Command {
  constructor(
    /** The kill message. */
    readonly msg?: string,
  ) {
    super();
  }
}
