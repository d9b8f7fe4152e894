import type { Communicator } from '@plumpy-ts/communicator';
import type { Logger } from './logger.js';
import type { Process } from './process.js';
import type { ProcessListener } from './process-listener.js';
import type { ProcessState } from './process-state.js';

/** A process of any input and output types. */
export type AnyProcess = Process<object, object>;

/** Options of the {@link Process} constructor. */
export interface ProcessOptions<I = Record<string, unknown>> {
  /**
   * The inputs, validated against the spec (invalid ones make the constructor
   * throw). Typed as a partial `I`: inputs whose ports have defaults may be left
   * out (a required input without a default that is missing is caught by the
   * validation, at run time).
   */
  inputs?: Partial<I>;
  /** The process id; default: a fresh, time-ordered UUID v7 string. */
  pid?: string | number;
  /** The communicator the process (and the children it launches) can be reached on. */
  communicator?: Communicator;
  /** Where the process logs; default: `consoleLogger`. */
  logger?: Logger;
  /** Listeners added before the initial state is entered (so they see `onProcessCreated`). */
  listeners?: readonly ProcessListener[];
}

/** Options of {@link Process.launch}. */
export interface LaunchOptions<I = Record<string, unknown>> {
  /** The child's inputs. */
  inputs?: I;
  /** The child's pid. */
  pid?: string | number;
  /** The child's logger (default: the parent's). */
  logger?: Logger;
}

/** A process class that {@link Process.launch} can instantiate. */
export type ProcessClass<P extends AnyProcess = AnyProcess> = new (options?: ProcessOptions<never>) => P;

/** What a process reports about itself (the `status` intent's reply). */
export interface ProcessStatusInfo {
  /** Creation time, ms since the epoch. */
  ctime: number;
  /** Whether the process is paused. */
  paused: boolean;
  /** `<ClassName> (state)`. */
  processString: string;
  /** The state label. */
  state: ProcessState;
  /** Extra fields added by subclasses (a workchain adds `stepper`). */
  [extra: string]: unknown;
}
