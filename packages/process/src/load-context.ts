import type { Communicator } from '@plumpy-ts/communicator';
import type { Logger } from './logger.js';

/**
 * The values of a `LoadSaveContext` that a recreated process uses:
 * `new LoadSaveContext({ communicator, logger })`. Both are optional; without a
 * logger the process logs to the console, without a communicator it cannot be
 * reached remotely. (A listener being recreated also finds `process`, the
 * recreated process, in its context.)
 */
export interface ProcessLoadContextValues {
  /** The communicator the recreated process subscribes on (and passes to the children it launches). */
  communicator?: Communicator;
  /** Where the recreated process logs. */
  logger?: Logger;
}
