import { KilledError, type AnyProcess } from '@plumpy-ts/process';
import type { AwaitableRecord } from './awaitable-record.js';
import { AwaitableFailedError } from './errors.js';

/**
 * The error a work chain excepts with when the awaitable `record` failed with
 * `error`: it names the key, and for a child process its class and pid, and
 * whether it was killed or excepted. `target` is the live child, or `undefined`
 * for a child followed by pid.
 */
export function awaitableFailure(record: AwaitableRecord, target: unknown, error: unknown): AwaitableFailedError {
  if (record.kind === 'process') {
    // A child followed through a ChildResolver after a reload has no live object: it is named by pid.
    const name = target === undefined ? 'Process' : (target as AnyProcess).getName();
    const child = `${name}<${String(record.pid)}>`;
    const message =
      error instanceof KilledError
        ? `The child process ${child} awaited as '${record.key}' was killed` +
          (error.killMessage === undefined ? '' : `: ${error.killMessage}`)
        : `The child process ${child} awaited as '${record.key}' excepted: ${errorText(error)}`;
    return new AwaitableFailedError(message, record.key, record.pid, error);
  }
  return new AwaitableFailedError(`The awaitable '${record.key}' failed: ${errorText(error)}`, record.key, undefined, error);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
