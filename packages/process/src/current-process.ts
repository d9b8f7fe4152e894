import { AsyncLocalStorage } from 'node:async_hooks';
import type { StepFunction } from './commands.js';
import type { AnyProcess } from './process-options.js';

const scope = new AsyncLocalStorage<AnyProcess>();
const AsyncFunction = (async () => {}).constructor;
/** The process whose synchronous step is running (cheaper than AsyncLocalStorage for sync steps). */
let syncCurrent: AnyProcess | undefined;

function invokeStep(process: AnyProcess, fn: StepFunction, args: readonly unknown[]): unknown {
  if (args.length === 0) return fn.call(process);
  return (fn as (...a: unknown[]) => unknown).apply(process, args as unknown[]);
}

/**
 * Calls a step with the process as `Process.current()`: an async function runs
 * inside the AsyncLocalStorage scope (so the process stays current across its
 * awaits); a plain function just sets the synchronous current process.
 */
export function callStep(process: AnyProcess, fn: StepFunction, args: readonly unknown[]): unknown {
  const enclosing = syncCurrent;
  if (fn.constructor === AsyncFunction) {
    syncCurrent = undefined;
    try {
      return scope.run(process, invokeStep, process, fn, args);
    } finally {
      syncCurrent = enclosing;
    }
  }
  syncCurrent = process;
  try {
    return args.length === 0 ? fn.call(process) : invokeStep(process, fn, args);
  } finally {
    syncCurrent = enclosing;
  }
}

/** The process whose step is running (the innermost), or `undefined` outside any step. */
export function currentProcess(): AnyProcess | undefined {
  return syncCurrent ?? scope.getStore();
}
