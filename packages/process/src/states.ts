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

/** Where RUNNING and WAITING may go: any non-created state. */
const FROM_RUNNING_OR_WAITING: ReadonlySet<string> = new Set([
  ProcessState.RUNNING,
  ProcessState.WAITING,
  ProcessState.FINISHED,
  ProcessState.KILLED,
  ProcessState.EXCEPTED,
]);

/** RUNNING: the step `method` (with `args`) is to run, or is running. */
export class Running extends ProcessStateBase {
  static override LABEL: string = ProcessState.RUNNING;
  static override ALLOWED: ReadonlySet<string> = FROM_RUNNING_OR_WAITING;

  // Fields are `declare`d and assigned in the constructors of these classes (no
  // class field initialiser: a call less per state object, see State).
  /** The method name of the step. */
  declare readonly method: string;
  /** Arguments of the step. */
  declare readonly args: readonly unknown[];
  /** The step function when it was given as one (a cache; the name is what is saved). */
  declare readonly fn: StepFunction | undefined;

  constructor(process: AnyProcess, method: string, args: readonly unknown[], fn: StepFunction | undefined) {
    super(process);
    this.method = method;
    this.args = args;
    this.fn = fn;
  }
}

/** WAITING: until `resume()`; then `method` (if any) runs with the resume value. */
export class Waiting extends ProcessStateBase {
  static override LABEL: string = ProcessState.WAITING;
  static override ALLOWED: ReadonlySet<string> = FROM_RUNNING_OR_WAITING;

  /** The method name of the step to run on resume, if any. */
  declare readonly method: string | undefined;
  /** The step function when it was given as one. */
  declare readonly fn: StepFunction | undefined;
  /** What the process waits for. */
  declare readonly msg: string | undefined;
  /** Extra data handed to `onWait`. */
  declare readonly data: unknown;
  /** Whether `resume()` was called. */
  declare resumed: boolean;
  /** Whether a value was passed to `resume()`. */
  declare hasValue: boolean;
  /** The value passed to `resume()`. */
  declare value: unknown;

  constructor(
    process: AnyProcess,
    method: string | undefined,
    fn: StepFunction | undefined,
    msg: string | undefined,
    data: unknown,
  ) {
    super(process);
    this.method = method;
    this.fn = fn;
    this.msg = msg;
    this.data = data;
    this.resumed = false;
    this.hasValue = false;
    this.value = undefined;
  }

  override toString(): string {
    return this.msg === undefined ? this.label : `${this.label} (${this.msg})`;
  }
}

/** FINISHED with a result; `successful` false for an unsuccessful result or invalid outputs. */
export class Finished extends ProcessStateBase {
  static override LABEL: string = ProcessState.FINISHED;

  /** The result. */
  declare readonly result: unknown;
  /** Whether the process succeeded. */
  declare readonly successful: boolean;
  /** The exit status: an exit code's, an integer unsuccessful result, else 0. */
  declare readonly exitStatus: number;

  constructor(process: AnyProcess, result: unknown, successful: boolean, exitStatus: number) {
    super(process);
    this.result = result;
    this.successful = successful;
    this.exitStatus = exitStatus;
  }
}

/** EXCEPTED: a step (or a hook) threw `error`. */
export class Excepted extends ProcessStateBase {
  static override LABEL: string = ProcessState.EXCEPTED;

  /** What was thrown (wrapped in an Error if it was not one). */
  declare readonly error: Error;

  constructor(process: AnyProcess, error: Error) {
    super(process);
    this.error = error;
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

  /** The kill message. */
  declare readonly msg: KillMessage;

  constructor(process: AnyProcess, msg: KillMessage) {
    super(process);
    this.msg = msg;
  }
}
