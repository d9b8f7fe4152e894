import { State } from '@plumpy-ts/state-machine';
import type { StepFunction } from './commands.js';
import type { AnyProcess } from './process-options.js';
import { ProcessState } from './process-state.js';

/**
 * The base of the process states. Every state holds only plain data (labels,
 * method names, arguments, results), so that a process can be saved as data.
 */
export class ProcessStateBase extends State<ProcessState, AnyProcess> {
  /** The process this state belongs to. */
  get process(): AnyProcess {
    return this.machine;
  }
}

/** CREATED: inputs parsed and validated; `run` is the first step. */
export class Created extends ProcessStateBase {
  static override LABEL: string = ProcessState.CREATED;
  static override ALLOWED: ReadonlySet<string> = new Set([
    ProcessState.RUNNING,
    ProcessState.KILLED,
    ProcessState.EXCEPTED,
  ]);
}

/** RUNNING: the step `method` (with `args`) is to run, or is running. */
export class Running extends ProcessStateBase {
  static override LABEL: string = ProcessState.RUNNING;
  static override ALLOWED: ReadonlySet<string> = new Set([
    ProcessState.RUNNING,
    ProcessState.WAITING,
    ProcessState.FINISHED,
    ProcessState.KILLED,
    ProcessState.EXCEPTED,
  ]);

  constructor(
    process: AnyProcess,
    /** The method name of the step. */
    readonly method: string,
    /** Arguments of the step. */
    readonly args: readonly unknown[],
    /** The step function when it was given as one (a cache; the name is what is saved). */
    readonly fn: StepFunction | undefined,
  ) {
    super(process);
  }
}

/** WAITING: until `resume()`; then `method` (if any) runs with the resume value. */
export class Waiting extends ProcessStateBase {
  static override LABEL: string = ProcessState.WAITING;
  static override ALLOWED: ReadonlySet<string> = new Set([
    ProcessState.RUNNING,
    ProcessState.WAITING,
    ProcessState.FINISHED,
    ProcessState.KILLED,
    ProcessState.EXCEPTED,
  ]);

  /** Whether `resume()` was called. */
  resumed = false;
  /** Whether a value was passed to `resume()`. */
  hasValue = false;
  /** The value passed to `resume()`. */
  value: unknown = undefined;

  constructor(
    process: AnyProcess,
    /** The method name of the step to run on resume, if any. */
    readonly method: string | undefined,
    /** The step function when it was given as one. */
    readonly fn: StepFunction | undefined,
    /** What the process waits for. */
    readonly msg: string | undefined,
    /** Extra data handed to `onWait`. */
    readonly data: unknown,
  ) {
    super(process);
  }

  override toString(): string {
    return this.msg === undefined ? this.label : `${this.label} (${this.msg})`;
  }
}

/** FINISHED with a result; `successful` false for an unsuccessful result or invalid outputs. */
export class Finished extends ProcessStateBase {
  static override LABEL: string = ProcessState.FINISHED;

  constructor(
    process: AnyProcess,
    /** The result. */
    readonly result: unknown,
    /** Whether the process succeeded. */
    readonly successful: boolean,
    /** The exit status: an exit code's, an integer unsuccessful result, else 0. */
    readonly exitStatus: number,
  ) {
    super(process);
  }
}

/** EXCEPTED: a step (or a hook) threw `error`. */
export class Excepted extends ProcessStateBase {
  static override LABEL: string = ProcessState.EXCEPTED;

  constructor(
    process: AnyProcess,
    /** What was thrown (wrapped in an Error if it was not one). */
    readonly error: Error,
  ) {
    super(process);
  }

  override toString(): string {
    return `${this.label} (${this.error.name}: ${this.error.message})`;
  }
}

/** The message a process was killed with. */
export interface KillMessage {
  /** The kill message, if one was given. */
  message?: string;
  /** Whether the kill was forced (immediate, even mid-step). */
  force: boolean;
}

/** KILLED, with the kill message. */
export class Killed extends ProcessStateBase {
  static override LABEL: string = ProcessState.KILLED;

  constructor(
    process: AnyProcess,
    /** The kill message. */
    readonly msg: KillMessage,
  ) {
    super(process);
  }
}
