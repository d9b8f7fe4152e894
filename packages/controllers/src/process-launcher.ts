import { DuplicateSubscriberIdentifier, TaskRejected, type Communicator } from '@plumpy-ts/communicator';
import {
  ClassRegistry,
  ConcurrentModificationError,
  LoadSaveContext,
  UnknownClassError,
  type Bundle,
  type LoadableClass,
  type ObjectLoader,
  type Persister,
} from '@plumpy-ts/persistence';
import {
  Process,
  consoleLogger,
  type AnyProcess,
  type Logger,
  type ProcessListener,
  type ProcessOptions,
} from '@plumpy-ts/process';
import { AwaitedChild } from './awaited-child.js';
import { MalformedTaskError } from './errors.js';
import { followProcess } from './follow-process.js';
import { KeyedSerializer } from './keyed-serializer.js';
import { ProcessCheckpointer } from './process-checkpointer.js';
import { outcomeOf } from './process-end.js';
import { probeProcess, type Liveness } from './process-liveness.js';
import { ProcessSlots } from './process-slots.js';
import { isTerminalLabel, summarizeSavedProcess } from './saved-label.js';
import { subscriptionsReady } from './subscriptions-ready.js';
import {
  createContinueBody,
  parseTaskBody,
  type ContinueTaskBody,
  type CreateTaskBody,
  type InitKwargs,
  type LaunchTaskBody,
} from './task-bodies.js';

/** Options of the {@link ProcessLauncher} constructor. */
export interface ProcessLauncherOptions {
  /** Where processes are checkpointed; needed for `persist`, continue and create tasks. */
  persister?: Persister;
  /**
   * Resolves class identifiers of tasks and checkpoints (default
   * `ClassRegistry.default`). Only classes it knows are ever run: nothing is
   * imported because a task names it.
   */
  loader?: ObjectLoader;
  /** The context processes are recreated with (the launcher adds the communicator and its loader). */
  loadContext?: LoadSaveContext;
  /**
   * Delete a persisted process's checkpoints when it terminates. Default
   * `false`, as in plumpy: the last checkpoint holds the terminated process
   * (its outputs, or how it failed), so its outcome can still be read (see
   * `waitForProcessEnd`) and a repeated continue task answers it again. The
   * last checkpoint of a child launched by a process is always kept: its
   * parent, if continued on another worker, reads the child's outputs there.
   */
  deleteCheckpointsOnEnd?: boolean;
  /**
   * How many processes run at once; tasks beyond wait for a slot. Default: no
   * bound. The children that processes launch do not take slots.
   */
  concurrency?: number;
  /** Where the launcher and its processes log. Default: the console (no debug). */
  logger?: Logger;
  /**
   * How long the status RPC that asks whether a process already runs
   * elsewhere (before a continue task, or a redelivered launch, loads its
   * checkpoint) may take, in ms. No answer in time counts as "it may run":
   * the task follows the process instead of running it. Default 1 000.
   */
  livenessTimeoutMs?: number;
  /**
   * While a task follows a process that runs elsewhere, how often it asks
   * whether the process still runs somewhere, in ms; when nobody answers
   * for it (its worker stopped or died), this launcher continues it. Default 5 000.
   */
  livenessCheckIntervalMs?: number;
}

/** A process this launcher runs. */
interface RunningEntry {
  readonly process: AnyProcess;
  readonly checkpointer: ProcessCheckpointer | undefined;
  /** Whether a task is still waiting for this process's end (false with nowait). */
  readonly taskOpen: boolean;
  /** The communicator the process's task came over. */
  readonly communicator: Communicator;
  /** Settles the open task with `TaskRejected` (on stop). */
  readonly releaseTask: (error: TaskRejected) => void;
  /** Resolves when the launcher is done with the process (terminated and last checkpoint written). */
  readonly done: Promise<void>;
  /** Whether the process holds a concurrency slot (a task's process does; a child it launched does not). */
  readonly slot: boolean;
  /** Resolves when this copy was fenced out: another copy of the process saved a newer checkpoint. */
  readonly fenced: Promise<void>;
  /** Settles {@link RunningEntry.fenced}. */
  readonly markFenced: () => void;
}

/** A task whose answer has begun: `answer` settles with what the task answers. */
interface Started {
  readonly answer: Promise<unknown>;
}

/** Wraps an answer so that it can be handed around before it is awaited (a rejection is not reported as unhandled). */
function started(answer: Promise<unknown>): Started {
  answer.catch(() => undefined);
  return { answer };
}

/** How long a task waits for the terminal checkpoint of a process that may have just ended elsewhere (ms). */
const END_GRACE_MS = 250;

const NO_TASK = (): void => {};

/**
 * The pause message of a process paused because its worker stopped. A launcher
 * that continues a process paused with it plays it (a process paused by a user
 * stays paused).
 */
export const HANDOVER_PAUSE_MESSAGE = 'Paused for hand-over: the worker running it stopped';

/**
 * The pause message of a copy of a process that was fenced out (another copy
 * saved a newer checkpoint). The copy is closed; the children it paused with
 * this message are played again (the copy that took over follows them).
 */
const FENCED_PAUSE_MESSAGE = 'Paused: another copy of this process took over';

type ProcessConstructor = new (options: ProcessOptions<object>) => AnyProcess;


/**
 * Runs the processes that task messages ask for (plumpy's `ProcessLauncher`).
 * Subscribe its bound {@link ProcessLauncher.handle} to a communicator:
 *
 * - `launch`: creates the process (class named by its loader identifier, with
 *   the task's inputs and the communicator), runs it and answers its outputs —
 *   or, with `nowait`, its pid as soon as it is created (and checkpointed).
 * - `continue`: recreates the process from its checkpoint and runs it on.
 * - `create`: creates (and with `persist` checkpoints) the process; answers its pid.
 *
 * With a persister, a persisted process is checkpointed after every state
 * transition, so a continue task resumes from the last step that completed.
 *
 * The children a process launches (`this.launch(...)`, e.g. in a work chain's
 * step) are adopted: they run on the same communicator, are checkpointed like
 * their parent when it is persisted, and are handed over with it by
 * {@link ProcessLauncher.stop}. A work chain continued from a checkpoint
 * follows the children it waits for by pid (an {@link AwaitedChild} under the
 * load-context key `awaitChild`): it learns of their ends from their
 * `state_changed` broadcasts, and pauses, plays and kills them by RPC.
 * A class the loader does not know, `persist` without a persister, and a task
 * of another kind are refused with `TaskRejected` (so another worker may take
 * the task). A process that is killed or excepts makes its task fail: the
 * sender gets a `RemoteException` with the reason.
 *
 * @example
 * const launcher = new ProcessLauncher({ persister });
 * communicator.addTaskSubscriber(launcher.handle);
 */
export class ProcessLauncher {
  /** The bound task subscriber: `communicator.addTaskSubscriber(launcher.handle)`. */
  readonly handle: (communicator: Communicator, task: unknown) => Promise<unknown>;

  readonly #persister: Persister | undefined;
  readonly #loader: ObjectLoader;
  readonly #loadContext: LoadSaveContext;
  readonly #deleteOnEnd: boolean;
  readonly #logger: Logger;
  readonly #slots: ProcessSlots;
  readonly #running = new Map<string, RunningEntry>();
  /** The processes being released by {@link ProcessLauncher.stop}. */
  readonly #releasing = new Map<RunningEntry, Promise<void>>();
  /** The processes whose release has begun. */
  readonly #released = new WeakSet<RunningEntry>();
  #stopping = false;
  /** Tasks for one pid are started one at a time. */
  readonly #starting = new KeyedSerializer();
  /** The tasks following a process that runs elsewhere (aborted on stop). */
  readonly #followers = new Set<AbortController>();
  readonly #livenessTimeoutMs: number;
  readonly #livenessCheckIntervalMs: number;

  constructor(options: ProcessLauncherOptions = {}) {
    this.#persister = options.persister;
    const baseContext = options.loadContext ?? new LoadSaveContext();
    this.#loader = options.loader ?? (options.loadContext !== undefined ? baseContext.loader : ClassRegistry.default);
    this.#loadContext = options.loader !== undefined ? baseContext.copyExtend({ loader: options.loader }) : baseContext;
    this.#deleteOnEnd = options.deleteCheckpointsOnEnd ?? false;
    this.#logger = options.logger ?? consoleLogger;
    this.#slots = new ProcessSlots(options.concurrency ?? Infinity);
    this.#livenessTimeoutMs = options.livenessTimeoutMs ?? 1_000;
    this.#livenessCheckIntervalMs = options.livenessCheckIntervalMs ?? 5_000;
    this.handle = (communicator, task) => this.#handle(communicator, task);
  }

  /** The persister, if any. */
  get persister(): Persister | undefined {
    return this.#persister;
  }

  /** How many processes this launcher runs right now (including the children they launched). */
  get runningCount(): number {
    return this.#running.size;
  }

  /** How many tasks wait for a free slot (see `concurrency`). */
  get waitingCount(): number {
    return this.#slots.waiting;
  }

  /** The processes this launcher runs right now. */
  get runningProcesses(): AnyProcess[] {
    return [...this.#running.values()].map((entry) => entry.process);
  }

  /**
   * How many tasks follow a process that runs elsewhere (instead of running a
   * second copy of it), waiting for its end.
   */
  get followingCount(): number {
    return this.#followers.size;
  }

  /** Whether {@link ProcessLauncher.stop} has been called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  async #handle(communicator: Communicator, task: unknown): Promise<unknown> {
    if (this.#stopping) throw new TaskRejected('The launcher is stopping and takes no more tasks');
    let body;
    try {
      body = parseTaskBody(task);
    } catch (error) {
      // An unknown kind of task may be for another subscriber (plumpy rejects it).
      if (error instanceof MalformedTaskError && error.message.startsWith('Unknown task')) {
        throw new TaskRejected(error.message);
      }
      throw error;
    }
    switch (body.task) {
      case 'launch':
        return this.#launch(communicator, body.args);
      case 'continue':
        return this.#continue(communicator, body.args);
      case 'create':
        return this.#create(communicator, body.args);
    }
  }

  // ------------------------------------------------------------------ tasks

  async #launch(communicator: Communicator, args: LaunchTaskBody['args']): Promise<unknown> {
    const persister = this.#requirePersister(args.persist, 'persist the process');
    const cls = this.#loadClass(args.process_class);
    const kwargs = args.init_kwargs ?? {};
    if (kwargs.pid === undefined) {
      return (await this.#startNew(communicator, cls, kwargs, persister, args.nowait)).answer;
    }
    const pid = String(kwargs.pid);
    const { answer } = await this.#starting.run(pid, async (): Promise<Started> => {
      const running = this.#running.get(pid);
      if (running !== undefined) return started(this.#answerRunning(running, args.nowait));
      // A persisted launch redelivered (its worker went away, or RabbitMQ's
      // consumer timeout closed its channel) continues the same process, unless
      // it still runs somewhere.
      if (persister !== undefined && (await this.#hasCheckpoint(persister, pid))) {
        return this.#startContinue(communicator, persister, { pid, nowait: args.nowait, tag: null }, true);
      }
      return this.#startNew(communicator, cls, kwargs, persister, args.nowait);
    });
    return answer;
  }

  async #continue(communicator: Communicator, args: ContinueTaskBody['args']): Promise<unknown> {
    const persister = this.#persister;
    if (persister === undefined) {
      throw new TaskRejected(`Cannot continue process ${args.pid}: this launcher has no persister`);
    }
    const { answer } = await this.#starting.run(args.pid, () => this.#startContinue(communicator, persister, args, false));
    return answer;
  }

  /** Constructs a process (taking a slot), claims it with its first checkpoint and runs it. */
  async #startNew(
    communicator: Communicator,
    cls: ProcessConstructor,
    kwargs: InitKwargs,
    persister: Persister | undefined,
    nowait: boolean,
  ): Promise<Started> {
    await this.#slots.acquire();
    let process: AnyProcess;
    try {
      process = this.#construct(cls, kwargs, communicator);
    } catch (error) {
      this.#slots.release();
      // Another process answers under this pid on the communicator: it runs already.
      if (error instanceof DuplicateSubscriberIdentifier && persister !== undefined && kwargs.pid !== undefined) {
        return this.#startFollowing(communicator, String(kwargs.pid), nowait);
      }
      throw error;
    }
    return this.#claimAndRun(communicator, process, persister, nowait);
  }

  /**
   * Starts a continue task (or a launch redelivered with the pid of a
   * checkpointed process): answers from the copy this launcher runs, follows a
   * copy that runs elsewhere, answers the recorded outcome of a process that
   * has ended, else recreates it from its checkpoint and runs it.
   */
  async #startContinue(
    communicator: Communicator,
    persister: Persister,
    args: ContinueTaskBody['args'],
    redelivered: boolean,
  ): Promise<Started> {
    const { pid, nowait } = args;
    const running = this.#running.get(pid);
    if (running !== undefined) return started(this.#answerRunning(running, nowait));
    // Is it running on another worker? Then it is followed, not run a second time.
    const liveness = await this.#probe(communicator, pid);
    if (liveness !== 'absent') return this.#startFollowing(communicator, pid, nowait, liveness === 'unknown');
    const tag = args.tag ?? undefined;
    let bundle = await persister.loadCheckpoint(pid, tag);
    this.#loadClass(bundle.classId);
    let saved = summarizeSavedProcess(bundle);
    if (tag === undefined && !isTerminalLabel(saved.label) && !saved.paused && (redelivered || saved.label !== 'created')) {
      // Nobody answers for a process saved as running: it may have just ended
      // elsewhere (it stops answering before its terminal checkpoint is
      // written). Give that checkpoint a moment to land.
      const revision = bundle.revision;
      await new Promise((resolve) => setTimeout(resolve, END_GRACE_MS));
      bundle = await persister.loadCheckpoint(pid);
      saved = summarizeSavedProcess(bundle);
      if (bundle.revision !== revision && !isTerminalLabel(saved.label)) {
        // Someone is checkpointing it: it runs (its worker may be reconnecting).
        return this.#startFollowing(communicator, pid, nowait);
      }
    }
    if (isTerminalLabel(saved.label)) {
      // It has ended: answer its recorded outcome, do not run it again.
      const ended = this.#recreate(bundle, communicator);
      return started(nowait ? Promise.resolve(pid) : ended.future());
    }
    await this.#slots.acquire();
    let process: AnyProcess;
    try {
      process = this.#recreate(bundle, communicator);
    } catch (error) {
      this.#slots.release();
      // Another copy answers under this pid on the communicator: follow it.
      if (error instanceof DuplicateSubscriberIdentifier) return this.#startFollowing(communicator, pid, nowait);
      throw error;
    }
    if (tag !== undefined) {
      try {
        // Resuming an older tagged checkpoint: its revision may be older than the untagged one.
        await persister.deleteCheckpoint(pid);
      } catch (error) {
        process.close();
        this.#slots.release();
        throw error;
      }
    }
    return this.#claimAndRun(communicator, process, persister, nowait);
  }

  /**
   * Claims `process` (its slot taken) with its first checkpoint, then runs it.
   * With a fencing persister only one of several copies racing for one pid
   * can write that checkpoint: a copy whose claim is refused
   * (`ConcurrentModificationError`) has run no step; it is closed and its task
   * follows the copy that won.
   */
  async #claimAndRun(
    communicator: Communicator,
    process: AnyProcess,
    persister: Persister | undefined,
    nowait: boolean,
  ): Promise<Started> {
    let checkpointer: ProcessCheckpointer | undefined;
    if (persister !== undefined && !process.hasTerminated()) {
      try {
        checkpointer = await this.#startCheckpointing(process, persister);
      } catch (error) {
        process.close();
        this.#slots.release();
        if (!(error instanceof ConcurrentModificationError)) throw error;
        const pid = String(process.pid);
        this.#logger.info(`Process<${pid}>: another worker claimed it first; following it instead of running it`);
        return this.#startFollowing(communicator, pid, nowait);
      }
    }
    return started(this.#run(communicator, process, checkpointer, nowait));
  }

  /**
   * Whether `pid` runs somewhere: a status RPC, asked again (up to three times
   * in all) while it gets no answer in time — a worker that is closing its
   * connection may leave it unanswered, and once it has closed nobody answers.
   */
  async #probe(communicator: Communicator, pid: string): Promise<Liveness> {
    let liveness: Liveness = 'unknown';
    for (let attempt = 0; attempt < 3 && liveness === 'unknown'; attempt += 1) {
      liveness = await probeProcess(communicator, pid, this.#livenessTimeoutMs);
    }
    return liveness;
  }

  /**
   * The answer of a task for a process that runs elsewhere: its pid (nowait),
   * or its outcome once it ends. A nowait task for a process whose liveness is
   * `uncertain` is answered at once, but the process is still followed in the
   * background, so that this launcher continues it if nobody runs it.
   */
  #startFollowing(communicator: Communicator, pid: string, nowait: boolean, uncertain = false): Started {
    this.#logger.debug(`Process<${pid}>: it runs elsewhere; following it instead of running a second copy`);
    if (nowait && uncertain) {
      this.#followToEnd(communicator, pid).catch((error: unknown) => {
        this.#logger.debug(`Process<${pid}>: following it in the background ended`, error);
      });
    }
    return started(nowait ? Promise.resolve(pid) : this.#followToEnd(communicator, pid));
  }

  /**
   * Follows the process `pid` that runs elsewhere to its end and answers its
   * outcome (outputs from its last checkpoint). If nobody answers for it any
   * more before it ended (its worker stopped or died), it is continued here —
   * or followed again, if another worker took it over first.
   */
  async #followToEnd(communicator: Communicator, pid: string): Promise<unknown> {
    const controller = new AbortController();
    this.#followers.add(controller);
    let result;
    try {
      result = await followProcess(communicator, pid, {
        ...(this.#persister !== undefined && { persister: this.#persister }),
        loadContext: this.#loadContext,
        probeTimeoutMs: this.#livenessTimeoutMs,
        checkIntervalMs: this.#livenessCheckIntervalMs,
        signal: controller.signal,
      });
    } finally {
      this.#followers.delete(controller);
    }
    if (result.kind === 'ended') return outcomeOf(result.end);
    if (this.#stopping) throw new TaskRejected('The launcher is stopping and takes no more tasks');
    this.#logger.info(`Process<${pid}>: nobody runs it any more; continuing it here`);
    return this.#continue(communicator, { pid, nowait: false, tag: null });
  }

  async #create(_communicator: Communicator, args: CreateTaskBody['args']): Promise<string> {
    const persister = this.#requirePersister(args.persist, 'persist the process');
    const cls = this.#loadClass(args.process_class);
    // The process does not run here: it is not made reachable on the communicator.
    const process = this.#construct(cls, args.init_kwargs ?? {}, undefined);
    if (persister !== undefined) await persister.saveCheckpoint(process);
    return String(process.pid);
  }

  // ------------------------------------------------------------------ helpers

  #requirePersister(persist: boolean, what: string): Persister | undefined {
    if (!persist) return undefined;
    if (this.#persister === undefined) throw new TaskRejected(`Cannot ${what}: this launcher has no persister`);
    return this.#persister;
  }

  async #hasCheckpoint(persister: Persister, pid: string): Promise<boolean> {
    const checkpoints = await persister.getProcessCheckpoints(pid);
    return checkpoints.some((checkpoint) => checkpoint.tag === undefined);
  }

  /** The class named `identifier`; an unknown one is refused with `TaskRejected` naming it. */
  #loadClass(identifier: string): ProcessConstructor {
    let cls: LoadableClass;
    try {
      cls = this.#loader.load(identifier);
    } catch (error) {
      if (error instanceof UnknownClassError) {
        throw new TaskRejected(`Unknown process class '${identifier}': this launcher's loader does not know it`, {
          cause: error,
        });
      }
      throw error;
    }
    if (!(cls.prototype instanceof Process)) {
      throw new MalformedTaskError(`The class '${identifier}' (${cls.name}) is not a Process`);
    }
    return cls as unknown as ProcessConstructor;
  }

  #construct(cls: ProcessConstructor, kwargs: InitKwargs, communicator: Communicator | undefined): AnyProcess {
    const options: ProcessOptions<object> = { logger: this.#logger };
    if (communicator !== undefined) options.communicator = communicator;
    if (kwargs.inputs !== undefined) options.inputs = kwargs.inputs;
    if (kwargs.pid !== undefined) options.pid = kwargs.pid;
    return new cls(options);
  }

  #recreate(bundle: Bundle, communicator: Communicator): AnyProcess {
    const context = this.#loadContext.copyExtend({
      communicator,
      logger: this.#logger,
      // A work chain recreated while waiting for a child follows it by pid wherever
      // it runs: learns of its end from its broadcasts, and pauses, plays and kills
      // it with RPCs (workchain's CHILD_RESOLVER_KEY and ChildHandle).
      awaitChild: (pid: string) => new AwaitedChild(communicator, pid, this.#childOptions(), this.#logger),
    });
    const process = bundle.unbundle(context);
    if (!(process instanceof Process)) {
      throw new MalformedTaskError(`The checkpoint of ${String(bundle.pid)} is not of a Process`);
    }
    const recreated = process as AnyProcess;
    if (recreated.paused && recreated.status === HANDOVER_PAUSE_MESSAGE) recreated.play();
    return recreated;
  }

  #childOptions(): { persister?: Persister; loadContext: LoadSaveContext } {
    const options: { persister?: Persister; loadContext: LoadSaveContext } = { loadContext: this.#loadContext };
    if (this.#persister !== undefined) options.persister = this.#persister;
    return options;
  }

  async #startCheckpointing(process: AnyProcess, persister: Persister): Promise<ProcessCheckpointer> {
    const checkpointer = new ProcessCheckpointer(process, persister, this.#logger);
    checkpointer.attach();
    await checkpointer.flush();
    return checkpointer;
  }

  /** Runs a process whose slot is taken; answers its pid (nowait) or its outcome. */
  #run(
    communicator: Communicator,
    process: AnyProcess,
    checkpointer: ProcessCheckpointer | undefined,
    nowait: boolean,
  ): Promise<unknown> {
    const pid = String(process.pid);
    let releaseTask!: (error: TaskRejected) => void;
    const released = new Promise<never>((_resolve, reject) => {
      releaseTask = reject;
    });
    released.catch(() => undefined);
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    let markFenced!: () => void;
    const fenced = new Promise<void>((resolve) => {
      markFenced = resolve;
    });
    const entry: RunningEntry = {
      process,
      checkpointer,
      taskOpen: !nowait,
      communicator,
      releaseTask,
      done,
      slot: true,
      fenced,
      markFenced,
    };
    this.#running.set(pid, entry);
    this.#adoptChildrenOf(entry);
    checkpointer?.whenFenced(() => this.#fenceOut(entry));

    // Steps run at once, up to the first wait (a WAITING state or an async step).
    const finished = (async (): Promise<void> => {
      try {
        await process.stepUntilTerminated();
      } finally {
        if (this.#running.get(pid) === entry) await this.#finish(entry);
        markDone();
      }
    })();
    if (nowait) {
      finished.catch((error: unknown) => {
        this.#logger.error(`Process<${pid}>: running it failed`, error);
      });
      return this.#answerPid(communicator, process, finished);
    }
    return Promise.race([this.#outcomeOf(entry), released]);
  }

  /**
   * The outcome of a process this launcher runs: its own, once the launcher is
   * done with it; or, if this copy is fenced out first, that of the copy that
   * took over (followed).
   */
  #outcomeOf(entry: RunningEntry): Promise<unknown> {
    const ended = entry.done.then(() => 'ended' as const);
    const fencedOut = entry.fenced.then(() => 'fenced' as const);
    return Promise.race([ended, fencedOut]).then((how) =>
      how === 'ended' ? entry.process.future() : this.#followToEnd(entry.communicator, String(entry.process.pid)),
    );
  }

  /**
   * Another copy of `entry`'s process saved a newer checkpoint (it was taken
   * over, e.g. while this worker's broker connection was down): this copy
   * stops — paused after the step under way, then closed, never checkpointed
   * again — and its task follows the copy that took over.
   */
  #fenceOut(entry: RunningEntry): void {
    const { process, checkpointer } = entry;
    const pid = String(process.pid);
    if (this.#running.get(pid) !== entry) return;
    this.#running.delete(pid);
    checkpointer?.detach();
    if (entry.slot) this.#slots.release();
    this.#logger.warn(`Process<${pid}>: another copy of it took over (it saved a newer checkpoint); this copy stops`);
    entry.markFenced();
    const stopping = (async (): Promise<void> => {
      if (!process.hasTerminated()) await process.pause(FENCED_PAUSE_MESSAGE);
      process.close();
      // The children it paused with it run on: the copy that took over follows them by pid.
      for (const other of this.#running.values()) {
        if (other.process.paused && other.process.status === FENCED_PAUSE_MESSAGE) other.process.play();
      }
    })();
    stopping.catch((error: unknown) => {
      this.#logger.error(`Process<${pid}>: stopping its fenced-out copy failed`, error);
    });
  }

  /**
   * The answer of a nowait task: the pid, once the process can be reached
   * under it (a RabbitMQ communicator sets subscriptions up asynchronously) —
   * or, if it has ended already, once its last checkpoint is written.
   */
  async #answerPid(communicator: Communicator, process: AnyProcess, finished: Promise<void>): Promise<string> {
    if (process.hasTerminated()) await finished.catch(() => undefined);
    else await subscriptionsReady(communicator);
    return String(process.pid);
  }

  /**
   * Makes the children that `entry`'s process launches (`Process.launch`, e.g. a
   * work chain's) this launcher's too: they run on the same communicator, are
   * checkpointed like their parent when it is persisted, and are handed over
   * with it when the launcher stops. Their own children are adopted the same way.
   */
  #adoptChildrenOf(entry: RunningEntry): void {
    const adopter: ProcessListener<AnyProcess> = {
      onChildLaunched: (_parent, child) => this.#adopt(child, entry),
    };
    entry.process.addProcessListener(adopter);
  }

  #adopt(child: AnyProcess, parent: RunningEntry): void {
    const pid = String(child.pid);
    if (child.hasTerminated() || this.#running.has(pid)) return;
    let checkpointer: ProcessCheckpointer | undefined;
    const persister = this.#persister;
    if (parent.checkpointer !== undefined && persister !== undefined) {
      checkpointer = new ProcessCheckpointer(child, persister, this.#logger);
      checkpointer.attach();
      checkpointer.request();
    }
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    let markFenced!: () => void;
    const fenced = new Promise<void>((resolve) => {
      markFenced = resolve;
    });
    const entry: RunningEntry = {
      process: child,
      checkpointer,
      taskOpen: false,
      communicator: parent.communicator,
      releaseTask: NO_TASK,
      done,
      slot: false,
      fenced,
      markFenced,
    };
    this.#running.set(pid, entry);
    this.#adoptChildrenOf(entry);
    checkpointer?.whenFenced(() => this.#fenceOut(entry));
    // The parent's launch() steps the child; the launcher follows its end.
    const ended = async (): Promise<void> => {
      if (this.#running.get(pid) === entry) await this.#finish(entry);
      markDone();
    };
    child.future().then(ended, ended).catch((error: unknown) => {
      this.#logger.error(`Process<${pid}>: finishing it failed`, error);
    });
    if (this.#stopping) this.#releaseLater(entry);
  }

  /** A process terminated: last checkpoint (or deletion), slot back. */
  async #finish(entry: RunningEntry): Promise<void> {
    const { process, checkpointer } = entry;
    const pid = String(process.pid);
    this.#running.delete(pid);
    if (entry.slot) this.#slots.release();
    if (checkpointer === undefined) return;
    checkpointer.detach();
    try {
      // A child's last checkpoint is kept: a parent continued on another worker reads its outcome there.
      if (this.#deleteOnEnd && entry.slot) await this.#persister?.deleteProcessCheckpoints(pid);
      else await checkpointer.flush();
    } catch (error) {
      this.#logger.error(`Process<${pid}>: its last checkpoint could not be written`, error);
    }
  }

  /** A task for a process this launcher runs already: answers from the running one. */
  async #answerRunning(entry: RunningEntry, nowait: boolean): Promise<unknown> {
    if (nowait) return String(entry.process.pid);
    return this.#outcomeOf(entry);
  }

  // ------------------------------------------------------------------ stopping

  /**
   * Stops the launcher gracefully: takes no more tasks (they are refused with
   * `TaskRejected`, as are tasks waiting for a slot); pauses every running
   * process, checkpoints the persisted ones and lets go of them (they stop
   * answering on the communicator). A task still waiting for a process's end is
   * refused with `TaskRejected`, so that the broker gives it to another worker,
   * which continues the process from its checkpoint (a persisted launch task
   * carries its pid, see `RemoteProcessController.launchProcess`). A persisted
   * process launched with `nowait` has no task any more: a continue task
   * (`nowait`, no reply) is sent for it. A process that is not persisted
   * cannot be continued; its open task starts it again elsewhere. The
   * children the processes launched are paused (by their parents, with the
   * same message), checkpointed and handed over the same way, each with a
   * continue task; so are children launched while the launcher stops.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#slots.close();
    // Tasks following processes that run elsewhere go back to the broker.
    for (const follower of this.#followers) {
      follower.abort(new TaskRejected('The worker is stopping: the task is given to another worker'));
    }
    // Children launched while their parents are being released are released too.
    for (;;) {
      for (const entry of this.#running.values()) this.#releaseLater(entry);
      if (this.#releasing.size === 0) return;
      await Promise.all(this.#releasing.values());
    }
  }

  /** Starts releasing `entry` (see {@link ProcessLauncher.stop}). */
  #releaseLater(entry: RunningEntry): void {
    if (this.#released.has(entry)) return;
    this.#released.add(entry);
    const releasing = this.#release(entry)
      .catch((error: unknown) => {
        this.#logger.error(`Process<${String(entry.process.pid)}>: releasing it failed`, error);
      })
      .finally(() => this.#releasing.delete(entry));
    this.#releasing.set(entry, releasing);
  }

  async #release(entry: RunningEntry): Promise<void> {
    const { process, checkpointer, communicator } = entry;
    const pid = String(process.pid);
    if (!process.hasTerminated()) {
      try {
        await process.pause(HANDOVER_PAUSE_MESSAGE);
      } catch (error) {
        this.#logger.error(`Process<${pid}>: pausing it failed`, error);
      }
    }
    if (process.hasTerminated()) {
      // It ended (maybe while being paused): its task is answered as usual.
      await entry.done;
      return;
    }
    this.#running.delete(pid);
    let saved = false;
    if (checkpointer !== undefined) {
      checkpointer.detach();
      try {
        await checkpointer.flush();
        saved = true;
      } catch (error) {
        this.#logger.error(`Process<${pid}>: its checkpoint could not be written before stopping`, error);
      }
    }
    process.close();
    if (entry.slot) this.#slots.release();
    if (entry.taskOpen) {
      entry.releaseTask(new TaskRejected(`The worker is stopping: process ${pid} is handed to another worker`));
    } else if (saved) {
      try {
        await communicator.taskSend(createContinueBody(pid, { nowait: true }), { noReply: true });
      } catch (error) {
        this.#logger.error(`Process<${pid}>: could not hand it over with a continue task`, error);
      }
    } else {
      this.#logger.warn(`Process<${pid}>: it is not persisted, so it is dropped as the worker stops`);
    }
  }
}
