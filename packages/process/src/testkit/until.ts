import type { AnyProcess } from '../process-options.js';
import type { ProcessListener } from '../process-listener.js';

/**
 * Resolves once `condition()` holds (or the process has terminated), checked
 * now and after every state change, pause and play of the process. No polling.
 */
export function until(process: AnyProcess, condition: () => boolean): Promise<void> {
  if (condition() || process.hasTerminated()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if (condition() || process.hasTerminated()) {
        process.removeProcessListener(listener);
        resolve();
      }
    };
    const listener: ProcessListener = {
      onProcessRunning: check,
      onProcessWaiting: check,
      onProcessPaused: check,
      onProcessPlayed: check,
      onProcessFinished: check,
      onProcessExcepted: check,
      onProcessKilled: check,
    };
    process.addProcessListener(listener);
  });
}
