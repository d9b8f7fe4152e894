import type { Communicator } from '@plumpy-ts/communicator';
import { consoleLogger, type Logger } from './logger.js';
import type { PendingInterrupt } from './pending-interrupt.js';
import type { ProcessListener } from './process-listener.js';
import { asError } from './values.js';

/** A promise of a process's outcome, and the function that settles it on termination. */
export interface ProcessFuture<O> {
  /** The outcome: the outputs, or a rejection with the killed error / the exception. */
  readonly promise: Promise<O>;
  /** Settles {@link ProcessFuture.promise} from the terminated process. */
  readonly settle: () => void;
}

/**
 * A future settled by calling its `settle`: with what `outcome()` returns, or
 * rejected with what it throws (as an `Error`).
 */
export function createProcessFuture<O>(outcome: () => O): ProcessFuture<O> {
  let settle!: () => void;
  const promise = new Promise<O>((resolve, reject) => {
    settle = () => {
      try {
        resolve(outcome());
      } catch (error) {
        reject(asError(error));
      }
    };
  });
  return { promise, settle };
}

/**
 * The fields of a process that most processes never use: a custom logger, a
 * communicator, listeners, cleanups, a status message, a pending pause or kill,
 * a future, a driver error. They live in one object allocated on first use, so
 * that a plain process stays small (every instance of every class has the same
 * shape for it).
 *
 * @internal
 */
export class ProcessExtras<O> {
  /** Where the process logs. */
  logger: Logger = consoleLogger;
  /** The communicator the process can be reached on. */
  communicator: Communicator | undefined = undefined;
  /** The listeners, in the order they were added. */
  listeners: ProcessListener[] | undefined = undefined;
  /** Functions to run when the process closes. */
  cleanups: (() => void)[] | undefined = undefined;
  /** The status message. */
  status: string | undefined = undefined;
  /** The status to restore on play, saved when the process was paused. */
  prePausedStatus: string | undefined = undefined;
  /** A pause or kill requested while a step or a transition runs. */
  interrupt: PendingInterrupt | undefined = undefined;
  /** The promise returned by `future()`, once asked for. */
  future: ProcessFuture<O> | undefined = undefined;
  /** An error raised while an async step completed, thrown by the driver. */
  driverError: unknown = undefined;
}
