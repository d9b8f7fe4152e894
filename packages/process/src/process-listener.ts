import type { Process } from './process.js';
import type { AnyProcess } from './process-options.js';
import type { KillMessage } from './states.js';

/**
 * Observes a process. Every method is optional; an error thrown by one is
 * logged by the process and never breaks it.
 *
 * @typeParam P - the process type the listener observes.
 */
export interface ProcessListener<P = Process> {
  /** The process was created (only listeners given to the constructor see this). */
  onProcessCreated?(process: P): void;
  /** The process entered RUNNING. */
  onProcessRunning?(process: P): void;
  /** The process entered WAITING. */
  onProcessWaiting?(process: P): void;
  /** The process was paused. */
  onProcessPaused?(process: P): void;
  /** The process was played after being paused. */
  onProcessPlayed?(process: P): void;
  /** The process emitted an output; `dynamic` is true when no port was declared for it. */
  onOutputEmitted?(process: P, name: string, value: unknown, dynamic: boolean): void;
  /** The process finished; `outputs` are its outputs. */
  onProcessFinished?(process: P, outputs: unknown): void;
  /** The process excepted; `reason` is the error message. */
  onProcessExcepted?(process: P, reason: string): void;
  /** The process was killed. */
  onProcessKilled?(process: P, msg: KillMessage): void;
  /**
   * The process launched `child` with {@link Process.launch} (an extension of
   * plumpy's listener): called once the child is constructed — it has the
   * parent's communicator and logger, and takes its first step in a microtask
   * — so that whoever runs the parent (a worker's launcher) can adopt the
   * child: checkpoint it, and hand it over with the parent.
   */
  onChildLaunched?(process: P, child: AnyProcess): void;
}
