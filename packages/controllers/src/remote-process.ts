import type { Communicator } from '@plumpy-ts/communicator';
import { outcomeOf, waitForProcessEnd, type ProcessEnd, type WaitForProcessEndOptions } from './process-end.js';
import { RemoteProcessController, type KillOptions, type ProcessStatus } from './remote-process-controller.js';

/**
 * A handle on one process, wherever it runs, by pid: control it over the
 * communicator and learn of its end from its `state_changed` broadcast. What a
 * parent uses for a child that runs on another worker (or after the parent was
 * continued from a checkpoint): pausing or killing the parent pauses or kills
 * the child with these RPCs, and `future()` settles the parent's awaitable.
 *
 * @example
 * const child = new RemoteProcess(communicator, pid, { persister });
 * await child.pause('not now');
 * await child.play();
 * const outputs = await child.future();   // rejects with KilledError if it is killed
 */
export class RemoteProcess {
  readonly #controller: RemoteProcessController;
  #future: Promise<Record<string, unknown>> | undefined = undefined;
  #end: ProcessEnd | undefined = undefined;

  constructor(
    /** The communicator the process is reached on. */
    readonly communicator: Communicator,
    pid: string | number,
    private readonly options: Omit<WaitForProcessEndOptions, 'signal'> = {},
  ) {
    this.pid = String(pid);
    this.#controller = new RemoteProcessController(communicator);
  }

  /** The pid. */
  readonly pid: string;

  /** How it ended, once {@link RemoteProcess.future} has settled. */
  get end(): ProcessEnd | undefined {
    return this.#end;
  }

  /** Whether its end is known here. */
  hasTerminated(): boolean {
    return this.#end !== undefined;
  }

  /** Its status (an RPC). */
  getStatus(): Promise<ProcessStatus> {
    return this.#controller.getStatus(this.pid);
  }

  /** Pauses it (an RPC); `true` once paused. */
  pause(msg?: string): Promise<boolean> {
    return this.#controller.pauseProcess(this.pid, msg);
  }

  /** Plays it (an RPC). */
  play(): Promise<boolean> {
    return this.#controller.playProcess(this.pid);
  }

  /** Kills it (an RPC); `true` once killed. */
  kill(msg?: string, options: KillOptions = {}): Promise<boolean> {
    return this.#controller.killProcess(this.pid, msg, options);
  }

  /**
   * Its outcome (one wait shared by every call): the outputs when it finishes
   * (read from its last checkpoint, `{}` without a persister); a rejection with
   * `KilledError` or `ProcessEndedError` otherwise.
   */
  future(): Promise<Record<string, unknown>> {
    if (this.#future === undefined) {
      this.#future = waitForProcessEnd(this.communicator, this.pid, this.options).then((end) => {
        this.#end = end;
        return outcomeOf(end);
      });
    }
    return this.#future;
  }
}
