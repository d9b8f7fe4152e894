import { PersistenceError, type SavedState } from '@plumpy-ts/process';
import type { AwaitableRecord } from './awaitable-record.js';
import type { WorkChainContext } from './context.js';
import { AwaitableFailedError } from './errors.js';
import type { WorkChainState } from './workchain-options.js';

/**
 * The failure of an awaitable that the work chain has not acted on yet, saved
 * as plain data (it comes back as an {@link AwaitableFailedError}).
 */
export interface SavedAwaitableFailure {
  /** The context key of the awaitable. */
  key: string;
  /** The child's pid, when the awaitable was a child process. */
  pid?: string | number;
  /** The error's message. */
  message: string;
  /** The original error (an `Error`, or the text of what the promise rejected with). */
  cause: unknown;
}

/**
 * The keys a work chain adds to a process's saved state (next to `pid`,
 * `state`, `outputs`, ...): its context, its position in the outline, what it
 * waits for (children by pid, settled values) and an awaitable's failure that
 * it has not acted on yet, and the children it paused. `awaiting`, `awaitFailure`
 * and `pausedChildren` are left out when empty.
 */
export interface WorkChainSavedFields {
  /** The context (plain data). */
  ctx: WorkChainContext;
  /** The position in the outline (see `StepperPath`). */
  stepper: number[];
  /** The awaitables registered and not yet put into the context. */
  awaiting?: AwaitableRecord[];
  /** An awaitable's failure that the work chain has not acted on yet. */
  awaitFailure?: SavedAwaitableFailure;
  /** The pids of the children the work chain paused (it plays them when it is played); left out when none. */
  pausedChildren?: (string | number)[];
}

/** Saves an awaitable's failure as plain data. */
export function saveAwaitableFailure(failure: Error): SavedAwaitableFailure {
  if (failure instanceof AwaitableFailedError) {
    const saved: SavedAwaitableFailure = { key: failure.key, message: failure.message, cause: plainCause(failure.cause) };
    if (failure.pid !== undefined) saved.pid = failure.pid;
    return saved;
  }
  return { key: '', message: failure.message, cause: plainCause(failure.cause) };
}

/** Recreates a saved awaitable failure. */
export function loadAwaitableFailure(saved: SavedAwaitableFailure): AwaitableFailedError {
  return new AwaitableFailedError(saved.message, saved.key, saved.pid, saved.cause);
}

/** The cause as plain data: an `Error` (plain data for a bundle), or a text describing what was thrown. */
function plainCause(cause: unknown): unknown {
  switch (typeof cause) {
    case 'undefined':
    case 'string':
      return cause;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return cause.toString();
    case 'function':
      return `a function ${cause.name}`;
    default:
      if (cause === null || cause instanceof Error) return cause;
      try {
        return JSON.stringify(cause);
      } catch {
        return Object.prototype.toString.call(cause);
      }
  }
}

/**
 * Reads and checks the work chain's keys of a saved state.
 * @param name - the work chain's class name, for error messages
 * @throws PersistenceError naming the malformed key
 */
export function readWorkChainFields(
  saved: SavedState,
  name: string,
): WorkChainState & { awaitFailure: SavedAwaitableFailure | undefined; pausedChildren: (string | number)[] | undefined } {
  const { ctx, stepper, awaiting, awaitFailure, pausedChildren } = saved;
  if (!isObject(ctx) || Array.isArray(ctx)) throw malformed(name, 'ctx', 'it is not an object');
  if (!Array.isArray(stepper) || !stepper.every((entry): entry is number => typeof entry === 'number')) {
    throw malformed(name, 'stepper', 'it is not an array of numbers');
  }
  let records: AwaitableRecord[] = [];
  if (awaiting !== undefined) {
    if (!Array.isArray(awaiting)) throw malformed(name, 'awaiting', 'it is not an array');
    records = awaiting.map((record: unknown, index) => readRecord(record, name, `awaiting[${index}]`));
  }
  let failure: SavedAwaitableFailure | undefined;
  if (awaitFailure !== undefined) {
    if (!isObject(awaitFailure)) throw malformed(name, 'awaitFailure', 'it is not an object');
    const { key, pid, message, cause } = awaitFailure;
    if (typeof key !== 'string') throw malformed(name, 'awaitFailure.key', 'it is not a string');
    if (typeof message !== 'string') throw malformed(name, 'awaitFailure.message', 'it is not a string');
    if (pid !== undefined && typeof pid !== 'string' && typeof pid !== 'number') {
      throw malformed(name, 'awaitFailure.pid', 'it is not a string or a number');
    }
    failure = { key, message, cause };
    if (pid !== undefined) failure.pid = pid;
  }
  if (
    pausedChildren !== undefined &&
    (!Array.isArray(pausedChildren) || !pausedChildren.every((pid) => typeof pid === 'string' || typeof pid === 'number'))
  ) {
    throw malformed(name, 'pausedChildren', 'it is not an array of pids');
  }
  return {
    ctx,
    stepper,
    awaiting: records,
    awaitFailure: failure,
    pausedChildren,
  };
}

function readRecord(value: unknown, name: string, path: string): AwaitableRecord {
  if (!isObject(value)) throw malformed(name, path, 'it is not an object');
  const { key, kind, pid, append, done } = value;
  if (typeof key !== 'string') throw malformed(name, `${path}.key`, 'it is not a string');
  if (kind !== 'process' && kind !== 'promise') throw malformed(name, `${path}.kind`, "it is neither 'process' nor 'promise'");
  if (typeof append !== 'boolean') throw malformed(name, `${path}.append`, 'it is not a boolean');
  if (typeof done !== 'boolean') throw malformed(name, `${path}.done`, 'it is not a boolean');
  if (kind === 'process') {
    if (typeof pid !== 'string' && typeof pid !== 'number') throw malformed(name, `${path}.pid`, 'it is not a string or a number');
  } else if (!done) {
    throw malformed(name, path, `the promise awaited as '${key}' has not settled, and a promise cannot be restored`);
  }
  return { key, kind, pid: pid as string | number | undefined, append, done, value: value.value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function malformed(name: string, path: string, reason: string): PersistenceError {
  return new PersistenceError(`Cannot load the work chain ${name}: its saved '${path}' is malformed (${reason})`);
}
