import type { Communicator } from '@plumpy-ts/communicator';
import type { ObjectLoader } from '@plumpy-ts/persistence';
import type { ProcessStatusInfo } from '@plumpy-ts/process';
import { Intent } from './intent.js';
import { MessageBuilder } from './message-builder.js';
import { newPid } from './new-pid.js';
import {
  createContinueBody,
  createCreateBody,
  createLaunchBody,
  type ProcessClassReference,
} from './task-bodies.js';

/** What `getStatus` answers: the process's status info (plain data). */
export type ProcessStatus = ProcessStatusInfo;

/** The outputs type of a process class (from its `outputs` property), else a record. */
export type OutputsOf<C> = C extends abstract new (...args: never[]) => { readonly outputs: infer O }
  ? O
  : Record<string, unknown>;

/** Options of {@link RemoteProcessController.launchProcess}. */
export interface LaunchProcessOptions {
  /** The process's inputs (plain data). */
  inputs?: Record<string, unknown>;
  /**
   * Checkpoint the process on the worker (the worker's launcher needs a
   * persister); the process can then be continued elsewhere. A pid is chosen
   * here, so that a task redelivered to another worker continues the same process.
   */
  persist?: boolean;
  /** Resolve with the pid as soon as the process is created, instead of its outputs at the end. */
  nowait?: boolean;
  /** Fire and forget: resolve (to `undefined`) as soon as the task is handed over. */
  noReply?: boolean;
  /** The pid the process gets (a string; default: chosen by the worker, or here with `persist`). */
  pid?: string;
  /** Names the class (default `ClassRegistry.default`). */
  loader?: ObjectLoader;
}

/** Options of {@link RemoteProcessController.continueProcess}. */
export interface ContinueProcessOptions {
  /** The checkpoint tag to continue from (default: the untagged checkpoint). */
  tag?: string;
  /** Resolve with the pid as soon as the process is recreated. */
  nowait?: boolean;
  /** Fire and forget. */
  noReply?: boolean;
}

/** Options of {@link RemoteProcessController.executeProcess}. */
export interface ExecuteProcessOptions {
  /** The process's inputs. */
  inputs?: Record<string, unknown>;
  /** Resolve with the pid once the continue task is taken, instead of the outputs. */
  nowait?: boolean;
  /** Fire and forget the continue task. */
  noReply?: boolean;
  /** Names the class. */
  loader?: ObjectLoader;
}

/** Options of {@link RemoteProcessController.killProcess} and {@link RemoteProcessController.killAll}. */
export interface KillOptions {
  /** Kill at once, even in the middle of a step. */
  force?: boolean;
}

/**
 * Controls processes over a communicator (plumpy's `RemoteProcessController`):
 * asks one process (by pid) for its status, pauses, plays or kills it; pauses,
 * plays or kills all processes on the communicator by broadcast; launches,
 * creates and continues processes by sending tasks to workers running a
 * `ProcessLauncher`. Every call returns a promise; everything sent is plain data.
 *
 * @example
 * const controller = new RemoteProcessController(communicator);
 * const outputs = await controller.launchProcess(MyWorkChain, { inputs: { n: 3 } });
 * const pid = await controller.launchProcess(MyWorkChain, { nowait: true });
 * await controller.pauseProcess(pid, 'hold on');
 * console.log(await controller.getStatus(pid)); // { ctime, paused: true, processString, state, ... }
 */
export class RemoteProcessController {
  constructor(
    /** The communicator messages and tasks are sent over. */
    readonly communicator: Communicator,
  ) {}

  /** The status of the process `pid`: `{ ctime, paused, processString, state, stepper? }`. */
  async getStatus(pid: string | number): Promise<ProcessStatus> {
    return (await this.communicator.rpcSend(String(pid), MessageBuilder.status())) as ProcessStatus;
  }

  /** Pauses the process `pid`; resolves `true` once it is paused (`false` if it had terminated). */
  async pauseProcess(pid: string | number, msg?: string): Promise<boolean> {
    return (await this.communicator.rpcSend(String(pid), MessageBuilder.pause(msg))) as boolean;
  }

  /** Plays the paused process `pid`; resolves `true`. */
  async playProcess(pid: string | number): Promise<boolean> {
    return (await this.communicator.rpcSend(String(pid), MessageBuilder.play())) as boolean;
  }

  /**
   * Kills the process `pid`; resolves `true` once it is killed (`false` if it
   * had already terminated otherwise). `force` kills at once, even mid-step.
   */
  async killProcess(pid: string | number, msg?: string, options: KillOptions = {}): Promise<boolean> {
    return (await this.communicator.rpcSend(String(pid), MessageBuilder.kill(msg, options.force ?? false))) as boolean;
  }

  /** Pauses every process on the communicator (a broadcast; resolves once sent). */
  async pauseAll(msg?: string): Promise<void> {
    await this.communicator.broadcastSend(MessageBuilder.pause(msg), { subject: Intent.PAUSE });
  }

  /** Plays every process on the communicator (a broadcast; resolves once sent). */
  async playAll(): Promise<void> {
    await this.communicator.broadcastSend(MessageBuilder.play(), { subject: Intent.PLAY });
  }

  /** Kills every process on the communicator (a broadcast; resolves once sent). */
  async killAll(msg?: string, options: KillOptions = {}): Promise<void> {
    await this.communicator.broadcastSend(MessageBuilder.kill(msg, options.force ?? false), { subject: Intent.KILL });
  }

  /**
   * Launches a process on a worker. Resolves with its outputs when it finishes
   * (rejects with a `RemoteException` if it is killed or excepts), with its pid
   * (a string) right after it is created with `nowait`, or with `undefined` at
   * once with `noReply`.
   */
  launchProcess<C extends ProcessClassReference>(
    processClass: C,
    options: LaunchProcessOptions & { noReply: true },
  ): Promise<undefined>;
  launchProcess<C extends ProcessClassReference>(
    processClass: C,
    options: LaunchProcessOptions & { nowait: true },
  ): Promise<string>;
  launchProcess<C extends ProcessClassReference>(processClass: C, options?: LaunchProcessOptions): Promise<OutputsOf<C>>;
  async launchProcess(processClass: ProcessClassReference, options: LaunchProcessOptions = {}): Promise<unknown> {
    const pid = options.pid ?? (options.persist === true ? newPid() : undefined);
    const body = createLaunchBody(processClass, { ...options, pid });
    return this.send(body, options.noReply);
  }

  /**
   * Continues the process `pid` from its checkpoint on a worker. Resolves with
   * its outputs, with its pid (`nowait`), or with `undefined` (`noReply`).
   */
  continueProcess(pid: string | number, options: ContinueProcessOptions & { noReply: true }): Promise<undefined>;
  continueProcess(pid: string | number, options: ContinueProcessOptions & { nowait: true }): Promise<string>;
  continueProcess(pid: string | number, options?: ContinueProcessOptions): Promise<Record<string, unknown>>;
  async continueProcess(pid: string | number, options: ContinueProcessOptions = {}): Promise<unknown> {
    return this.send(createContinueBody(pid, options), options.noReply);
  }

  /**
   * Creates the process on a worker and checkpoints it (a create task, which
   * needs a persister there); resolves with its pid. It does not run until
   * continued.
   */
  async createProcess(
    processClass: ProcessClassReference,
    options: { inputs?: Record<string, unknown>; pid?: string; loader?: ObjectLoader } = {},
  ): Promise<string> {
    const body = createCreateBody(processClass, { ...options, pid: options.pid ?? newPid(), persist: true });
    return String(await this.communicator.taskSend(body));
  }

  /**
   * Executes a process: creates and checkpoints it (a create task), then
   * continues it (a continue task), as plumpy does, so that with durable tasks
   * the process runs to the end even if this program goes away. Resolves with
   * the outputs (or the pid with `nowait`, `undefined` with `noReply`).
   */
  executeProcess<C extends ProcessClassReference>(
    processClass: C,
    options: ExecuteProcessOptions & { noReply: true },
  ): Promise<undefined>;
  executeProcess<C extends ProcessClassReference>(
    processClass: C,
    options: ExecuteProcessOptions & { nowait: true },
  ): Promise<string>;
  executeProcess<C extends ProcessClassReference>(processClass: C, options?: ExecuteProcessOptions): Promise<OutputsOf<C>>;
  async executeProcess(processClass: ProcessClassReference, options: ExecuteProcessOptions = {}): Promise<unknown> {
    const createOptions: { inputs?: Record<string, unknown>; loader?: ObjectLoader } = {};
    if (options.inputs !== undefined) createOptions.inputs = options.inputs;
    if (options.loader !== undefined) createOptions.loader = options.loader;
    const pid = await this.createProcess(processClass, createOptions);
    const continueOptions: ContinueProcessOptions = {};
    if (options.nowait !== undefined) continueOptions.nowait = options.nowait;
    return this.send(createContinueBody(pid, continueOptions), options.noReply);
  }

  private async send(body: unknown, noReply: boolean | undefined): Promise<unknown> {
    if (noReply === true) {
      await this.communicator.taskSend(body, { noReply: true });
      return undefined;
    }
    return this.communicator.taskSend(body);
  }
}
