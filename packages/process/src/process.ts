import type { Communicator } from '@plumpy-ts/communicator';
import { LoadSaveContext, PersistenceError, type Checkpointable, type SavedState } from '@plumpy-ts/persistence';
import { ExitCode, ProcessSpec } from '@plumpy-ts/ports';
import {
  InvalidStateError,
  StateEntryFailed,
  StateMachine,
  finishSuperCheck,
  markSuperCalled,
  startSuperCheck,
  type State,
  type StateMachineOptions,
} from '@plumpy-ts/state-machine';
import { classSpec, markDefineReached } from './class-spec.js';
import { Command, type StepFunction } from './commands.js';
import { callStep, currentProcess } from './current-process.js';
import { deepFreeze, frozenCopy, hasNoKeys, isPlainObject } from './deep-freeze.js';
import { createMicrotaskQueue } from './drive-queue.js';
import { ClosedError, KilledError } from './errors.js';
import {
  INIT,
  ON_CLOSE,
  ON_CREATE,
  ON_EXCEPT,
  ON_EXCEPTED,
  ON_EXIT_RUNNING,
  ON_EXIT_WAITING,
  ON_FINISH,
  ON_FINISHED,
  ON_KILL,
  ON_KILLED,
  ON_OUTPUT_EMITTING,
  ON_PAUSED,
  ON_PAUSING,
  ON_PLAYING,
  ON_RUN,
  ON_RUNNING,
  ON_WAIT,
  ON_WAITING,
  overriddenHooks,
} from './hook-overrides.js';
import { consoleLogger, type Logger } from './logger.js';
import { PendingInterrupt, type InterruptKind } from './pending-interrupt.js';
import { pidStamp, uuidFromStamp, type PidStamp } from './pid.js';
import { ProcessExtras, createProcessFuture } from './process-extras.js';
import type { ProcessListener } from './process-listener.js';
import type { AnyProcess, LaunchOptions, ProcessClass, ProcessOptions, ProcessStatusInfo } from './process-options.js';
import { ProcessState } from './process-state.js';
import { attachRemoteControl, broadcastStateChange } from './remote-control.js';
import { loadListeners, loadStateObject, readProcessFields, saveListeners, saveStateObject } from './saved-state.js';
import { setOutput } from './set-output.js';
import {
  Created,
  Excepted,
  Finished,
  Killed,
  Running,
  Waiting,
  type KillMessage,
  type ProcessStateBase,
} from './states.js';
import { stateForStepResult } from './step-result.js';
import { asError, isThenable } from './values.js';

type ListenerEvent = keyof ProcessListener;

// Bits of Process._flags (one small integer instead of a field per boolean; bits
// 8 and up say which hooks the class overrides, see hook-overrides.ts).
/** The process is paused. */
const PAUSED = 1;
/** The process is closed (terminated, cleanups run). */
const CLOSED = 2;
/** A step is under way (including an async step in flight, or waiting in WAITING). */
const STEPPING = 4;
/** A driver (stepUntilTerminated) is stepping the process. */
const DRIVING = 8;
/** The async driver waits to be woken up (by resume, play, an async step's end, an interrupt, termination). */
const BLOCKED = 16;

const RESOLVED: Promise<void> = Promise.resolve();
const TRUE: Promise<boolean> = Promise.resolve(true);
const FALSE: Promise<boolean> = Promise.resolve(false);
const EMPTY_INPUTS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Loaded inputs, frozen in place; no inputs at all become the shared empty object (a freeze costs more than the check). */
function frozenInputs(inputs: unknown): unknown {
  return isPlainObject(inputs) && hasNoKeys(inputs) ? EMPTY_INPUTS : deepFreeze(inputs);
}
/** The arguments of a step that takes none (shared; states hold only plain data). */
const NO_ARGS: readonly unknown[] = Object.freeze([]);
const NO_OPTIONS: ProcessOptions<never> = Object.freeze({});
const DEFER_INITIAL_STATE: StateMachineOptions = Object.freeze({ deferInitialState: true });
const DEFAULT_CONTEXT = new LoadSaveContext();
/**
 * Creation times are kept as milliseconds since this moment: a small integer
 * for the first twelve days, which V8 stores in the object (a full epoch time
 * would be a separately allocated number).
 */
const CTIME_ORIGIN = Date.now();
/** The prototype of the class {@link Process.recreateFromSavedState} constructs (that construction skips CREATED). */
let loadingPrototype: object | undefined;
/** The FINISHED state being entered while onFinish runs (hooks are synchronous). */
let finishing: Finished | undefined;
/** What a process class's instances share: its spec, and the hooks it overrides (bits of `_flags`). */
interface ClassInfo {
  readonly spec: ProcessSpec;
  readonly hooks: number;
}
/** The {@link ClassInfo} of each class instantiated so far. */
const classInfos = new WeakMap<object, ClassInfo>();
/** The class instantiated last and its info (a process is usually followed by one of the same class). */
let lastClass: object | undefined;
let lastClassInfo: ClassInfo | undefined;
/** The resolve function captured by {@link captureResolve} (no closure per driver promise). */
let capturedResolve: ((value: void | PromiseLike<void>) => void) | undefined;

/**
 * `value` (an integer) as V8 stores small integers in an object's field (a
 * double computed from `Date.now()` would otherwise make the field hold a
 * separately allocated number).
 */
function smallInteger(value: number): number {
  return value >= -0x40000000 && value < 0x40000000 ? value | 0 : value;
}

function captureResolve(resolve: (value: void | PromiseLike<void>) => void): void {
  capturedResolve = resolve;
}

/**
 * The base of every unit of work: a state machine (CREATED → RUNNING ⇄ WAITING →
 * FINISHED | EXCEPTED | KILLED) with a spec of validated inputs and outputs,
 * steps that return commands, pause/play/kill, listeners and child processes.
 * plumpy's `Process`.
 *
 * Subclasses implement {@link Process.run} (sync or async) and may declare ports
 * in `static define(spec)` (calling `super.define(spec)`). Hooks (`onCreate`,
 * `onRunning`, ...) may be overridden and must call `super`.
 *
 * Note: `onCreate` runs inside the base constructor (the process enters CREATED
 * when constructed), i.e. before a subclass's own field initialisers have run.
 *
 * @typeParam I - the inputs' type.
 * @typeParam O - the outputs' type.
 */
export class Process<I extends object = Record<string, unknown>, O extends object = Record<string, unknown>>
  extends StateMachine<ProcessState>
  implements Checkpointable
{
  /** The state classes of a process; CREATED first. */
  static override STATES = [Created, Running, Waiting, Finished, Excepted, Killed];

  /**
   * The process currently running a step (for nested processes the innermost), or
   * `undefined` outside any step. An async step (an `async` method) stays current
   * across its awaits (AsyncLocalStorage); for a plain method returning a promise,
   * only its synchronous part is covered.
   */
  static current(): Process | undefined {
    return currentProcess() as Process | undefined;
  }

  /** The class's spec: created and filled by `define` on first use, sealed on first instantiation. */
  static spec(): ProcessSpec {
    return classSpec(this);
  }

  /** Declares the ports and exit codes. Overrides must call `super.define(spec)` first. */
  static define(_spec: ProcessSpec): void {
    markDefineReached();
  }

  /** Makes an empty spec; override to use a {@link ProcessSpec} subclass. */
  static createSpec(): ProcessSpec {
    return new ProcessSpec();
  }

  /** The class's name. */
  static getName(): string {
    return this.name;
  }

  /** A description of the process class: its spec's description. */
  static getDescription(): { spec: ReturnType<ProcessSpec['getDescription']> } {
    return { spec: this.spec().getDescription() };
  }

  // Every field costs every process 8 bytes, so there are few: rarely used
  // ones live in `_extras`, booleans are bits of `_flags`. They are `declare`d
  // and assigned in the constructor: a class field initialiser would be one
  // more function call per construction (it counts before the JIT kicks in).
  declare private readonly _spec: ProcessSpec;
  /** Logger, communicator, listeners, cleanups, status, interrupt, future: allocated on first use. */
  declare private _extras: ProcessExtras<O> | undefined;
  declare private _pid: string | number | undefined;
  declare private _pidStamp: PidStamp | undefined;
  /** Creation time, ms since {@link CTIME_ORIGIN}. */
  declare private _ctime: number;
  /** The inputs as given until CREATED is entered; then their frozen copy. */
  declare private _rawInputs: Readonly<I>;
  declare private _inputs: Readonly<I>;
  /** Allocated on the first output (or read). */
  declare private _outputs: Record<string, unknown> | undefined;
  declare private _flags: number;
  // The async driver (not part of a saved process).
  declare private _driver: Promise<void> | undefined;
  declare private _settleDriver: ((outcome: void | PromiseLike<void>) => void) | undefined;
  declare private _asyncStep: number;

  /** Continues the async drivers that were woken up, in a microtask. */
  private static readonly drivers = createMicrotaskQueue<Process<object, object>>(
    (process) => process.resumeDrive(),
    (process, error) => process.logger.error(`Process<${String(process.pid)}>: the driver failed`, error),
  );

  constructor(options: ProcessOptions<I> = NO_OPTIONS) {
    super(DEFER_INITIAL_STATE);
    const info = new.target === lastClass ? lastClassInfo! : Process.classInfo(new.target);
    this._spec = info.spec;
    this._extras = undefined;
    this._pid = options.pid;
    this._pidStamp = undefined;
    this._ctime = 0;
    this._rawInputs = EMPTY_INPUTS as Readonly<I>;
    this._inputs = EMPTY_INPUTS as Readonly<I>;
    this._outputs = undefined;
    this._flags = info.hooks;
    this._driver = undefined;
    this._settleDriver = undefined;
    this._asyncStep = 0;
    if (loadingPrototype !== undefined && new.target.prototype === loadingPrototype) {
      // Recreation from a saved state: recreateFromSavedState loads the rest.
      loadingPrototype = undefined;
      return;
    }
    const { logger, communicator, listeners, inputs } = options;
    if (logger !== undefined || communicator !== undefined || listeners !== undefined) {
      const extras = this.extras();
      if (logger !== undefined) extras.logger = logger;
      extras.communicator = communicator;
      if (listeners !== undefined) extras.listeners = [...listeners];
    }
    if (inputs !== undefined) this._rawInputs = inputs as Readonly<I>;
    this.enterInitialState();
    if ((this._flags & INIT) !== 0) {
      const token = startSuperCheck(this);
      this.init();
      finishSuperCheck(this, token, 'init');
    }
    if (communicator !== undefined) attachRemoteControl(this, communicator);
  }

  /** The spec and hook overrides of `cls` (its spec is made and sealed on first use). */
  private static classInfo(cls: object): ClassInfo {
    let info = classInfos.get(cls);
    if (info === undefined) {
      const spec = (cls as typeof Process).spec();
      if (!spec.sealed) spec.seal();
      info = { spec, hooks: overriddenHooks((cls as typeof Process).prototype, Process.prototype) };
      classInfos.set(cls, info);
    }
    lastClass = cls;
    lastClassInfo = info;
    return info;
  }

  // ------------------------------------------------------------------ introspection

  /** The process id: the one given, else a UUID v7 string (time-ordered by creation). */
  get pid(): string | number {
    if (this._pid === undefined) {
      const ctime = this.creationTime;
      this._pid = uuidFromStamp(ctime, this._pidStamp ?? pidStamp(ctime));
    }
    return this._pid;
  }

  /** Creation time, ms since the epoch. */
  get creationTime(): number {
    return this._ctime + CTIME_ORIGIN;
  }

  /** The parsed inputs: defaults filled in, deeply frozen. */
  get inputs(): Readonly<I> {
    return this._inputs;
  }

  /** The inputs as given (a frozen copy). */
  get rawInputs(): Readonly<I> {
    return this._rawInputs;
  }

  /** The outputs emitted so far. */
  get outputs(): O {
    return (this._outputs ??= {}) as O;
  }

  /** The status message (set by kill and pause messages, or {@link Process.setStatus}). */
  get status(): string | undefined {
    return this._extras?.status;
  }

  /** Sets the status message. */
  setStatus(status: string | undefined): void {
    if (status === undefined && this._extras === undefined) return;
    this.extras().status = status;
  }

  /** Whether the process is paused (a flag, independent of the state). */
  get paused(): boolean {
    return (this._flags & PAUSED) !== 0;
  }
  /** Whether the process finished successfully: FINISHED, outputs valid and exit status 0. */
  get isSuccessful(): boolean {
    const state = this.currentState;
    return state instanceof Finished && state.successful;
  }

  /** Whether the process is EXCEPTED. */
  get isExcepted(): boolean {
    return this.currentState instanceof Excepted;
  }

  /** Whether the process is KILLED. */
  get isKilled(): boolean {
    return this.currentState instanceof Killed;
  }

  /** The exit status: 0 when finished without an exit code; `undefined` unless FINISHED. */
  get exitStatus(): number | undefined {
    const state = this.currentState;
    return state instanceof Finished ? state.exitStatus : undefined;
  }

  /** The exit message of an exit code the process finished with, if any. */
  get exitMessage(): string | undefined {
    const state = this.currentState;
    return state instanceof Finished && state.result instanceof ExitCode ? state.result.message : undefined;
  }

  /** The declared exit codes: `this.exitCodes.NAME`. */
  get exitCodes(): Readonly<Record<string, ExitCode>> {
    return this._spec.exitCodes;
  }

  /** The logger. */
  get logger(): Logger {
    return this._extras?.logger ?? consoleLogger;
  }

  /** The communicator, if one was given. */
  get communicator(): Communicator | undefined {
    return this._extras?.communicator;
  }

  /** Whether the process is closed (it terminated; it can no longer run or emit outputs). */
  get isClosed(): boolean {
    return (this._flags & CLOSED) !== 0;
  }
  /** This process class's spec. */
  spec(): ProcessSpec {
    return this._spec;
  }

  /** The class's name. */
  getName(): string {
    return this.constructor.name;
  }

  /** Whether the process is in a terminal state. */
  hasTerminated(): boolean {
    // Literal labels (the values of ProcessState.FINISHED, ...): no module variable loads on this hot path.
    const state = this.state;
    return state === 'finished' || state === 'excepted' || state === 'killed';
  }

  /**
   * The result: of a FINISHED process its result (an {@link ExitCode} if it
   * returned one); throws {@link KilledError} if KILLED, the exception if EXCEPTED,
   * and {@link InvalidStateError} otherwise.
   */
  result(): unknown {
    const state = this.currentState;
    if (state instanceof Finished) return state.result;
    if (state instanceof Killed) throw new KilledError(state.msg.message);
    if (state instanceof Excepted) throw state.error;
    throw new InvalidStateError(`The process has not terminated (state: ${this.state})`);
  }

  /** The exception of an EXCEPTED process, else `undefined`. */
  exception(): Error | undefined {
    const state = this.currentState;
    return state instanceof Excepted ? state.error : undefined;
  }

  /** The kill message of a KILLED process, else `undefined`. */
  killedMsg(): KillMessage | undefined {
    const state = this.currentState;
    return state instanceof Killed ? state.msg : undefined;
  }

  /** The status info (the `status` intent's reply); subclasses add fields by overriding and spreading `super`. */
  getStatusInfo(): ProcessStatusInfo {
    return { ctime: this.creationTime, paused: this.paused, processString: this.toString(), state: this.state };
  }

  /**
   * A promise of the outcome, settled when the process terminates: the outputs,
   * or a rejection with {@link KilledError} / the exception. It does not drive
   * the process (see {@link Process.execute}).
   */
  future(): Promise<O> {
    const known = this._extras?.future;
    if (known !== undefined) return known.promise;
    if (this.hasTerminated()) return this.outcome();
    const future = createProcessFuture(() => this.settledOutputs());
    this.extras().future = future;
    return future.promise;
  }

  // ------------------------------------------------------------------ running

  /** The first step. Override it; return a command, a plain result, or a promise of one. */
  run(): unknown {
    return undefined;
  }

  /**
   * Runs the process until it terminates and returns its outputs; rejects with
   * {@link KilledError} if it is killed, with the exception if it excepts, and
   * with {@link ClosedError} if it had already terminated.
   */
  execute(): Promise<O> {
    if ((this._flags & CLOSED) !== 0) return Promise.reject(new ClosedError(`Process<${String(this.pid)}> is closed`));
    const driving = this.stepUntilTerminated();
    if (driving === RESOLVED) return this.outcome();
    return driving.then(() => this.settledOutputs());
  }

  /**
   * Steps the process until it is terminated. Consecutive steps run without
   * giving the event loop away; it is given away only while WAITING, paused, or
   * awaiting an async step. Resolves when terminated (whatever the outcome); a
   * second call while the first is under way returns the same promise.
   */
  stepUntilTerminated(): Promise<void> {
    if (this._driver !== undefined) return this._driver;
    if ((this._flags & DRIVING) !== 0) return Promise.reject(new InvalidStateError('The process is already being stepped'));
    try {
      return this.driveSync() ?? RESOLVED;
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  /**
   * Pauses the process. Inside a step it takes effect after the step; while
   * WAITING it takes effect at once. Resolves `true` once paused (at once if it
   * already is), `false` if the process has terminated, or if the pause was
   * cancelled by {@link Process.play} or overtaken by a kill.
   */
  pause(msg?: string): Promise<boolean> {
    if (this.hasTerminated()) return FALSE;
    if ((this._flags & PAUSED) !== 0) return TRUE;
    const pending = this._extras?.interrupt;
    if (pending !== undefined) return pending.kind === 'pause' ? pending.promise : FALSE;
    if ((this._flags & STEPPING) !== 0 || this.isTransitioning) {
      const interrupt = this.setInterrupt('pause', msg, false);
      this.wakeUp();
      return interrupt.promise;
    }
    try {
      this.doPause(msg);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return TRUE;
  }

  /** Plays a paused process (or cancels a pause that has not taken effect yet). Returns `true`. */
  play(): boolean {
    if ((this._flags & PAUSED) === 0) {
      if (this._extras?.interrupt?.kind === 'pause') this.cancelInterrupt();
      return true;
    }
    if ((this._flags & ON_PLAYING) !== 0) {
      const token = startSuperCheck(this);
      this.onPlaying();
      finishSuperCheck(this, token, 'onPlaying');
    } else {
      this.playNow();
    }
    this.wakeUp();
    return true;
  }

  /**
   * Kills the process. Inside a step the rest of the step runs, then the process
   * is KILLED; while WAITING or paused it is killed at once; `{ force: true }` kills
   * at once even mid-step. Resolves `true` once KILLED, `false` if it had already
   * terminated otherwise.
   */
  kill(msg?: string, options?: { force?: boolean }): Promise<boolean> {
    const state = this.state;
    if (state === ProcessState.KILLED) return TRUE;
    if (this.hasTerminated()) return FALSE;
    const force = options?.force === true;
    if (this.isTransitioning) return this.setInterrupt('kill', msg, force).promise;
    // A paused process takes no step until played, so it is killed at once.
    if (force || (this._flags & (STEPPING | PAUSED)) !== STEPPING) {
      this.cancelInterrupt();
      try {
        this.transition(new Killed(this, { message: msg, force }));
      } catch (error) {
        return Promise.reject(asError(error));
      }
      return this.state === ProcessState.KILLED ? TRUE : FALSE;
    }
    const interrupt = this.setInterrupt('kill', msg, false);
    this.wakeUp();
    return interrupt.promise;
  }

  /**
   * Leaves WAITING: the step named by the `Wait` command runs next, with `value`
   * as its argument if one is given. A second resume is ignored. Throws
   * {@link InvalidStateError} if the process is not WAITING.
   */
  resume(...value: [value?: unknown]): void {
    const state = this.currentState;
    if (!(state instanceof Waiting)) {
      throw new InvalidStateError(`Cannot resume a process in state '${this.state}': it is not waiting`);
    }
    if (state.resumed) return;
    state.resumed = true;
    state.hasValue = value.length > 0;
    state.value = value[0];
    this.wakeUp();
  }

  /**
   * Emits an output. Dotted names address namespaces (`'ns.port'`). An output not
   * in the spec (of a non-dynamic namespace) or of the wrong type throws a
   * `PortValidationError` (thrown from a step, that makes the process EXCEPTED).
   */
  out(name: string, value: unknown): void {
    if ((this._flags & CLOSED) !== 0) {
      throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot emit output '${name}'`);
    }
    if ((this._flags & ON_OUTPUT_EMITTING) !== 0) {
      const token = startSuperCheck(this);
      this.onOutputEmitting(name, value);
      finishSuperCheck(this, token, 'onOutputEmitting');
    }
    const spec = this._spec;
    const error = spec.validateOutput(name, value);
    if (error !== undefined) throw error;
    setOutput((this._outputs ??= {}), name, value);
    if (this._extras?.listeners !== undefined) {
      const dynamic = name.indexOf('.') === -1 ? !spec.outputs.has(name) : spec.outputs.tryGetPort(name) === undefined;
      this.notify('onOutputEmitted', name, value, dynamic);
    }
  }

  /**
   * Creates a child process on the same communicator and starts stepping it
   * asynchronously (in a microtask); returns the child. The listeners'
   * `onChildLaunched(parent, child)` is notified once the child is constructed.
   */
  launch<P extends AnyProcess>(cls: ProcessClass<P>, options: LaunchOptions<object> = {}): P {
    if ((this._flags & CLOSED) !== 0) throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot launch`);
    const childOptions: ProcessOptions<object> = { logger: options.logger ?? this.logger };
    if (options.inputs !== undefined) childOptions.inputs = options.inputs;
    if (options.pid !== undefined) childOptions.pid = options.pid;
    const communicator = this.communicator;
    if (communicator !== undefined) childOptions.communicator = communicator;
    const child = new (cls as unknown as new (o: ProcessOptions<object>) => P)(childOptions);
    this.notify('onChildLaunched', child);
    queueMicrotask(() => {
      child.stepUntilTerminated().catch((error: unknown) => {
        this.logger.error(`Process<${String(child.pid)}>: stepping the launched process failed`, error);
      });
    });
    return child;
  }

  // ------------------------------------------------------------------ listeners and cleanups

  /** Adds a listener. */
  addProcessListener(listener: ProcessListener<this>): void {
    (this.extras().listeners ??= []).push(listener as ProcessListener);
  }

  /** Removes a listener (no error if it was not added). */
  removeProcessListener(listener: ProcessListener<this>): void {
    const listeners = this._extras?.listeners;
    if (listeners === undefined) return;
    const index = listeners.indexOf(listener as ProcessListener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /** Registers a function to run when the process closes (it terminates). */
  addCleanup(cleanup: () => void): void {
    if ((this._flags & CLOSED) !== 0) {
      throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot add a cleanup`);
    }
    (this.extras().cleanups ??= []).push(cleanup);
  }

  /** Closes the process: runs the cleanups. Idempotent; done automatically on termination. */
  close(): void {
    if ((this._flags & CLOSED) !== 0) return;
    if ((this._flags & ON_CLOSE) !== 0) {
      const token = startSuperCheck(this);
      this.onClose();
      finishSuperCheck(this, token, 'onClose');
    } else {
      this.closeNow();
    }
  }

  // ------------------------------------------------------------------ persistence

  /**
   * The process's state as plain data (the persistence package's `Savable`):
   * pid, creation time, inputs, outputs, paused flag, status, the state object
   * (the pending step with its arguments, what it waits for, or the outcome) and
   * the savable listeners; subclasses add theirs in
   * {@link Process.saveInstanceState}. The snapshot is of this moment: saved
   * inside a step, the process is RUNNING that step, which a recreated process
   * runs again.
   * @throws PersistenceError if the next step cannot be named (see {@link Process.resolveStep}).
   */
  save(context: LoadSaveContext = DEFAULT_CONTEXT): SavedState {
    const out: SavedState = {};
    const token = startSuperCheck(this);
    this.saveInstanceState(out, context);
    finishSuperCheck(this, token, 'saveInstanceState');
    return out;
  }

  /**
   * Recreates a process saved by {@link Process.save} (the persistence
   * package's `SavableClass`; use `bundle.unbundle(context)` rather than calling
   * it). Creation hooks do not run again: the class's constructor chain runs
   * without entering CREATED (so field initialisers do run), then
   * {@link Process.loadInstanceState}, then {@link Process.init}. The context's
   * `communicator` and `logger` values become the process's; with a
   * communicator a non-terminated process subscribes again. A terminated
   * process comes back closed.
   */
  static recreateFromSavedState<P extends AnyProcess>(
    this: new (...args: never[]) => P,
    saved: SavedState,
    context: LoadSaveContext = DEFAULT_CONTEXT,
  ): P {
    let process: P;
    loadingPrototype = this.prototype as object;
    try {
      process = new this();
    } finally {
      loadingPrototype = undefined;
    }
    (process as AnyProcess).completeLoad(saved, context);
    return process;
  }

  /**
   * Writes the process's state into `out` (plumpy's `save_instance_state`).
   * Subclasses override it to add their own plain-data fields (the keys of
   * `ProcessSavedState` are taken) and must call
   * `super.saveInstanceState(out, context)`.
   */
  protected saveInstanceState(out: SavedState, context: LoadSaveContext): void {
    markSuperCalled(this);
    const state = this.currentState as ProcessStateBase;
    const step = state instanceof Running || state instanceof Waiting ? state.method : undefined;
    if (step !== undefined) this.checkStepNamed(step);
    const extras = this._extras;
    out.pid = this.pid;
    out.ctime = this.creationTime;
    out.paused = this.paused;
    if (extras?.status !== undefined) out.status = extras.status;
    if (extras?.prePausedStatus !== undefined) out.prePausedStatus = extras.prePausedStatus;
    out.rawInputs = this._rawInputs;
    out.inputs = this._inputs;
    out.outputs = this.outputs;
    out.state = saveStateObject(state);
    const listeners = extras === undefined ? undefined : saveListeners(extras.listeners, context);
    if (listeners !== undefined) out.listeners = listeners;
  }

  /**
   * Takes over a saved state (plumpy's `load_instance_state`): called on a
   * freshly recreated instance, before {@link Process.init}. Subclasses override
   * it to read their own fields and must call `super.loadInstanceState(saved, context)` first.
   * @throws PersistenceError for a malformed saved state.
   */
  protected loadInstanceState(saved: SavedState, context: LoadSaveContext): void {
    markSuperCalled(this);
    const fields = readProcessFields(saved);
    const logger = context.get('logger') as Logger | undefined;
    const communicator = context.get('communicator') as Communicator | undefined;
    if (logger !== undefined && typeof logger.error !== 'function') {
      throw new PersistenceError("The load context's 'logger' is not a Logger");
    }
    if (communicator !== undefined && typeof communicator.addRpcSubscriber !== 'function') {
      throw new PersistenceError("The load context's 'communicator' is not a Communicator");
    }
    this._pid = fields.pid;
    this._ctime = smallInteger(fields.ctime - CTIME_ORIGIN);
    if (fields.paused === true) this._flags |= PAUSED;
    this._rawInputs = frozenInputs(fields.rawInputs) as Readonly<I>;
    this._inputs = frozenInputs(fields.inputs) as Readonly<I>;
    this._outputs = { ...fields.outputs };
    this.restoreState(loadStateObject(this, fields.state, this._spec.exitCodes));
    const listeners = loadListeners(this, fields.listeners, context);
    if (
      this._extras !== undefined ||
      logger !== undefined ||
      communicator !== undefined ||
      listeners !== undefined ||
      fields.status !== undefined ||
      fields.prePausedStatus !== undefined
    ) {
      const extras = this.extras();
      extras.logger = logger ?? consoleLogger;
      extras.communicator = communicator;
      extras.listeners = listeners;
      extras.status = fields.status;
      extras.prePausedStatus = fields.prePausedStatus;
    }
  }

  // ------------------------------------------------------------------ hooks (each must call super)

  /** After the initial state was entered (and, later, after loading). Must call `super.init()`. */
  protected init(): void {
    markSuperCalled(this);
  }

  /** Entering CREATED: records the creation time, parses and validates the inputs. Must call `super`. */
  protected onCreate(): void {
    markSuperCalled(this);
    this.createNow();
  }

  /** The base {@link Process.onCreate}. */
  private createNow(): void {
    const now = Date.now();
    const ctime = now - CTIME_ORIGIN;
    // smallInteger(ctime), inlined.
    this._ctime = ctime >= -0x40000000 && ctime < 0x40000000 ? ctime | 0 : ctime;
    if (this._pid === undefined) this._pidStamp = pidStamp(now);
    const spec = this._spec;
    const given = this._rawInputs;
    if (given === EMPTY_INPUTS && spec.inputs.size === 0) {
      // Without inputs or ports, the parsed inputs are the shared (frozen) empty object.
      const error = spec.validateInputs(given);
      if (error !== undefined) throw error;
      this._inputs = given;
      return;
    }
    const raw = given === EMPTY_INPUTS ? given : frozenCopy(given);
    const parsed = spec.preProcessInputs(raw);
    const error = spec.validateInputs(parsed);
    if (error !== undefined) throw error;
    this._rawInputs = raw;
    this._inputs = deepFreeze(parsed) as Readonly<I>;
  }

  /** Entering RUNNING. Must call `super.onRun()`. */
  protected onRun(): void {
    markSuperCalled(this);
  }

  /** Entered RUNNING; notifies `onProcessRunning`. Must call `super.onRunning()`. */
  protected onRunning(): void {
    markSuperCalled(this);
    this.notifyEntered(ProcessState.RUNNING);
  }

  /** Leaving RUNNING. Must call `super.onExitRunning()`. */
  protected onExitRunning(): void {
    markSuperCalled(this);
  }

  /** Entering WAITING with the `Wait` command's data. Must call `super.onWait(data)`. */
  protected onWait(_data: unknown): void {
    markSuperCalled(this);
  }

  /** Entered WAITING; notifies `onProcessWaiting`. Must call `super.onWaiting()`. */
  protected onWaiting(): void {
    markSuperCalled(this);
    this.notifyEntered(ProcessState.WAITING);
  }

  /** Leaving WAITING. Must call `super.onExitWaiting()`. */
  protected onExitWaiting(): void {
    markSuperCalled(this);
  }

  /** The process is about to be paused. Must call `super.onPausing(msg)`. */
  protected onPausing(_msg: string | undefined): void {
    markSuperCalled(this);
  }

  /**
   * The process was paused: sets the flag, saves the status and replaces it by
   * `msg` if given; notifies `onProcessPaused`. Must call `super.onPaused(msg)`.
   */
  protected onPaused(msg: string | undefined): void {
    markSuperCalled(this);
    this.pauseNow(msg);
  }

  /** The base {@link Process.onPaused}. */
  private pauseNow(msg: string | undefined): void {
    this._flags |= PAUSED;
    if (msg !== undefined || this._extras !== undefined) {
      const extras = this.extras();
      extras.prePausedStatus = extras.status;
      if (msg !== undefined) extras.status = msg;
    }
    this.notify('onProcessPaused');
  }

  /** The process is played: clears the flag, restores the status; notifies `onProcessPlayed`. Must call `super`. */
  protected onPlaying(): void {
    markSuperCalled(this);
    this.playNow();
  }

  /** The base {@link Process.onPlaying}. */
  private playNow(): void {
    this._flags &= ~PAUSED;
    const extras = this._extras;
    if (extras !== undefined) {
      extras.status = extras.prePausedStatus;
      extras.prePausedStatus = undefined;
    }
    this.notify('onProcessPlayed');
  }

  /**
   * Entering FINISHED. A successful finish checks the outputs against the spec;
   * if they are invalid (e.g. a required one is missing) the process finishes
   * unsuccessfully instead. Must call `super.onFinish(result, successful)`.
   */
  protected onFinish(result: unknown, successful: boolean): void {
    markSuperCalled(this);
    if (successful) this.checkOutputs(result, finishing?.machine === this ? finishing.exitStatus : 0);
  }

  /** The base {@link Process.onFinish} of a successful finish: invalid outputs make it unsuccessful. */
  private checkOutputs(result: unknown, exitStatus: number): void {
    const error = this._spec.validateOutputs(this._outputs ?? EMPTY_INPUTS);
    if (error !== undefined) {
      this.logger.debug(`Process<${String(this.pid)}>: invalid outputs: ${error.message}`);
      throw new StateEntryFailed(new Finished(this, result, false, exitStatus));
    }
  }

  /** Entered FINISHED; notifies `onProcessFinished`. Must call `super.onFinished()`. */
  protected onFinished(): void {
    markSuperCalled(this);
    this.notifyEntered(ProcessState.FINISHED);
  }

  /** Entering EXCEPTED. Must call `super.onExcept(error)`. */
  protected onExcept(_error: Error): void {
    markSuperCalled(this);
  }

  /** Entered EXCEPTED; notifies `onProcessExcepted`. Must call `super.onExcepted()`. */
  protected onExcepted(): void {
    markSuperCalled(this);
    this.notifyEntered(ProcessState.EXCEPTED);
  }

  /** Entering KILLED: the kill message becomes the status. Must call `super.onKill(msg)`. */
  protected onKill(msg: KillMessage): void {
    markSuperCalled(this);
    this.extras().status = msg.message ?? '';
  }

  /** Notifies the listeners (if any) that a state was entered: the base `onRunning`, `onFinished`, ... */
  private notifyEntered(label: ProcessState): void {
    if (this._extras?.listeners === undefined) return;
    switch (label) {
      case ProcessState.RUNNING:
        this.notify('onProcessRunning');
        break;
      case ProcessState.WAITING:
        this.notify('onProcessWaiting');
        break;
      case ProcessState.FINISHED:
        this.notify('onProcessFinished', this.outputs);
        break;
      case ProcessState.EXCEPTED:
        this.notify('onProcessExcepted', this.exception()?.message ?? '');
        break;
      case ProcessState.KILLED:
        this.notify('onProcessKilled', this.killedMsg());
        break;
    }
  }

  /** Entered KILLED; notifies `onProcessKilled`. Must call `super.onKilled()`. */
  protected onKilled(): void {
    markSuperCalled(this);
    this.notifyEntered(ProcessState.KILLED);
  }

  /** A terminal state was entered: closes the process. Must call `super.onTerminated()`. */
  protected override onTerminated(): void {
    super.onTerminated();
    this.close();
    const extras = this._extras;
    if (extras !== undefined) {
      this.cancelInterrupt();
      const future = extras.future;
      if (future !== undefined) future.settle();
    }
    if ((this._flags & BLOCKED) !== 0) this.wakeUp();
  }

  /** Closing: runs the cleanups (errors are logged). Must call `super.onClose()`. */
  protected onClose(): void {
    markSuperCalled(this);
    this.closeNow();
  }

  /** The base {@link Process.onClose}. */
  private closeNow(): void {
    this._flags |= CLOSED;
    const extras = this._extras;
    const cleanups = extras?.cleanups;
    if (cleanups === undefined) return;
    extras!.cleanups = undefined;
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch (error) {
        this.logger.error(`Process<${String(this.pid)}>: a cleanup failed`, error);
      }
    }
  }

  /** An output is about to be emitted (before validation). Must call `super.onOutputEmitting(name, value)`. */
  protected onOutputEmitting(_name: string, _value: unknown): void {
    markSuperCalled(this);
  }

  // ------------------------------------------------------------------ step machinery (overridable)

  /**
   * Finds the step function named `method` (a Continue/Wait command given a name).
   * Override to resolve names differently; the default looks up a method of the
   * process.
   */
  protected resolveStep(method: string): StepFunction {
    const fn = (this as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') {
      throw new InvalidStateError(`${this.getName()} has no step method '${method}'`);
    }
    return fn as StepFunction;
  }

  /**
   * The state that a step's return value leads to: a {@link Command}, an
   * {@link ExitCode}, an {@link UnsuccessfulResult}, or any other value (a
   * successful result). Override to understand more kinds of return values.
   */
  protected stateForResult(result: unknown): ProcessStateBase {
    return stateForStepResult(this, result);
  }

  // ------------------------------------------------------------------ state machine plumbing

  protected override createInitialState(): State<ProcessState> {
    return new Created(this);
  }

  /** A failed transition makes the process EXCEPTED (creation failures are rethrown). */
  protected override transitionFailed(_initial: ProcessState | undefined, final: ProcessState, error: unknown): void {
    if (final === ProcessState.CREATED) throw error;
    this.transitionTo(new Excepted(this, asError(error)));
  }

  protected override onEntering(state: State<ProcessState>): void {
    // A hook the class does not override runs its base behaviour directly (no super check needed).
    // The cases here, in onEntered and in onExiting are the ProcessState values written as
    // literals: a module constant costs a load and a check per case before the JIT kicks in.
    const flags = this._flags;
    switch (state.label) {
      case 'created':
        if ((flags & ON_CREATE) === 0) {
          this.createNow();
        } else {
          const token = startSuperCheck(this);
          this.onCreate();
          finishSuperCheck(this, token, 'onCreate');
        }
        break;
      case 'running':
        if ((flags & ON_RUN) !== 0) {
          const token = startSuperCheck(this);
          this.onRun();
          finishSuperCheck(this, token, 'onRun');
        }
        break;
      case 'waiting':
        if ((flags & ON_WAIT) !== 0) {
          const token = startSuperCheck(this);
          this.onWait((state as Waiting).data);
          finishSuperCheck(this, token, 'onWait');
        }
        break;
      case 'finished':
        if ((flags & ON_FINISH) === 0) {
          const finished = state as Finished;
          if (finished.successful) this.checkOutputs(finished.result, finished.exitStatus);
        } else {
          this.enterFinished(state as Finished);
        }
        break;
      case 'excepted':
        if ((flags & ON_EXCEPT) !== 0) {
          const token = startSuperCheck(this);
          this.onExcept((state as Excepted).error);
          finishSuperCheck(this, token, 'onExcept');
        }
        break;
      case 'killed':
        if ((flags & ON_KILL) === 0) {
          this.extras().status = (state as Killed).msg.message ?? '';
        } else {
          const token = startSuperCheck(this);
          this.onKill((state as Killed).msg);
          finishSuperCheck(this, token, 'onKill');
        }
        break;
    }
  }

  protected override onEntered(from: State<ProcessState> | undefined): void {
    const label = this.state;
    const flags = this._flags;
    switch (label) {
      case 'created':
        if (this._extras !== undefined) this.notify('onProcessCreated');
        break;
      case 'running':
        if ((flags & ON_RUNNING) === 0) {
          if (this._extras !== undefined) this.notifyEntered(label);
        }
        else this.checkedHook(ProcessState.RUNNING);
        break;
      case 'waiting':
        if ((flags & ON_WAITING) === 0) {
          if (this._extras !== undefined) this.notifyEntered(label);
        }
        else this.checkedHook(ProcessState.WAITING);
        break;
      case 'finished':
        if ((flags & ON_FINISHED) === 0) {
          if (this._extras !== undefined) this.notifyEntered(label);
        }
        else this.checkedHook(ProcessState.FINISHED);
        break;
      case 'excepted':
        if ((flags & ON_EXCEPTED) === 0) {
          if (this._extras !== undefined) this.notifyEntered(label);
        }
        else this.checkedHook(ProcessState.EXCEPTED);
        break;
      case 'killed':
        if ((flags & ON_KILLED) === 0) {
          if (this._extras !== undefined) this.notifyEntered(label);
        }
        else this.checkedHook(ProcessState.KILLED);
        break;
    }
    const extras = this._extras;
    if (extras?.communicator !== undefined) broadcastStateChange(this, extras.communicator, from?.label ?? null, label);
  }

  protected override onExiting(_next: State<ProcessState>): void {
    switch (this.state) {
      case 'running':
        if ((this._flags & ON_EXIT_RUNNING) !== 0) {
          const token = startSuperCheck(this);
          this.onExitRunning();
          finishSuperCheck(this, token, 'onExitRunning');
        }
        break;
      case 'waiting':
        if ((this._flags & ON_EXIT_WAITING) !== 0) {
          const token = startSuperCheck(this);
          this.onExitWaiting();
          finishSuperCheck(this, token, 'onExitWaiting');
        }
        break;
    }
  }

  // ------------------------------------------------------------------ private

  /** Calls an overridden `onFinish` (with the state at hand for its base), checking that it calls `super`. */
  private enterFinished(state: Finished): void {
    const token = startSuperCheck(this);
    const enclosing = finishing;
    finishing = state;
    try {
      this.onFinish(state.result, state.successful);
    } finally {
      finishing = enclosing;
    }
    finishSuperCheck(this, token, 'onFinish');
  }

  /** Calls the overridden hook run once the state `label` was entered, checking that it calls `super`. */
  private checkedHook(label: ProcessState): void {
    const token = startSuperCheck(this);
    switch (label) {
      case ProcessState.RUNNING:
        this.onRunning();
        finishSuperCheck(this, token, 'onRunning');
        break;
      case ProcessState.WAITING:
        this.onWaiting();
        finishSuperCheck(this, token, 'onWaiting');
        break;
      case ProcessState.FINISHED:
        this.onFinished();
        finishSuperCheck(this, token, 'onFinished');
        break;
      case ProcessState.EXCEPTED:
        this.onExcepted();
        finishSuperCheck(this, token, 'onExcepted');
        break;
      case ProcessState.KILLED:
        this.onKilled();
        finishSuperCheck(this, token, 'onKilled');
        break;
    }
  }


  /** The rarely used fields, allocated on first use. */
  private extras(): ProcessExtras<O> {
    return (this._extras ??= new ProcessExtras<O>());
  }

  /** The rest of {@link Process.recreateFromSavedState}, on the new instance. */
  private completeLoad(saved: SavedState, context: LoadSaveContext): void {
    let token = startSuperCheck(this);
    this.loadInstanceState(saved, context);
    finishSuperCheck(this, token, 'loadInstanceState');
    if ((this._flags & INIT) !== 0) {
      token = startSuperCheck(this);
      this.init();
      finishSuperCheck(this, token, 'init');
    }
    const communicator = this.communicator;
    if (this.hasTerminated()) this.close();
    else if (communicator !== undefined) attachRemoteControl(this, communicator);
  }

  /** Saving names the next step; it must be found by that name again when loading. */
  private checkStepNamed(method: string): void {
    try {
      this.resolveStep(method);
    } catch (error) {
      throw new PersistenceError(
        `Cannot save ${this.getName()}<${String(this.pid)}>: its next step '${method}' cannot be found by name ` +
          '(a step given as a function is saved by its name, so it must be a method of the process)',
        { cause: error },
      );
    }
  }

  private notify(event: ListenerEvent, a?: unknown, b?: unknown, c?: unknown): void {
    const listeners = this._extras?.listeners;
    if (listeners === undefined || listeners.length === 0) return;
    for (const listener of listeners.slice()) {
      const handler = (listener as Record<ListenerEvent, unknown>)[event];
      if (typeof handler !== 'function') continue;
      try {
        handler.call(listener, this, a, b, c);
      } catch (error) {
        this.logger.error(`Process<${String(this.pid)}>: listener ${event} threw`, error);
      }
    }
  }

  /** Transitions, then applies an interrupt requested during the transition if no step will. */
  private transition(next: ProcessStateBase): void {
    this.transitionTo(next);
    const pending = this._extras?.interrupt;
    if (pending !== undefined && (pending.force || (this._flags & STEPPING) === 0) && !this.isTransitioning) {
      this.applyInterrupt(undefined);
    }
  }

  private setInterrupt(kind: InterruptKind, msg: string | undefined, force: boolean): PendingInterrupt {
    this.cancelInterrupt();
    const interrupt = new PendingInterrupt(kind, msg, force);
    this.extras().interrupt = interrupt;
    return interrupt;
  }

  private cancelInterrupt(): void {
    const extras = this._extras;
    const pending = extras?.interrupt;
    if (pending === undefined) return;
    extras!.interrupt = undefined;
    pending.resolve(false);
  }

  /** Runs the pending interrupt: a kill goes to KILLED; a pause moves to `next` (if any) and pauses. */
  private applyInterrupt(next: ProcessStateBase | undefined): void {
    const extras = this._extras!;
    const pending = extras.interrupt!;
    extras.interrupt = undefined;
    if (this.hasTerminated()) {
      pending.resolve(pending.kind === 'kill' && this.state === ProcessState.KILLED);
      return;
    }
    if (pending.kind === 'kill') {
      this.transition(new Killed(this, { message: pending.msg, force: pending.force }));
      pending.resolve(this.state === ProcessState.KILLED);
    } else {
      if (next !== undefined) this.transition(next);
      if (!this.hasTerminated() || next !== undefined) this.doPause(pending.msg);
      pending.resolve(this.paused);
    }
  }

  private doPause(msg: string | undefined): void {
    if ((this._flags & ON_PAUSING) !== 0) {
      const token = startSuperCheck(this);
      this.onPausing(msg);
      finishSuperCheck(this, token, 'onPausing');
    }
    if ((this._flags & ON_PAUSED) === 0) {
      this.pauseNow(msg);
    } else {
      const token = startSuperCheck(this);
      this.onPaused(msg);
      finishSuperCheck(this, token, 'onPaused');
    }
  }

  /** Ends a step: moves to `next`, unless a force kill ended the process already or an interrupt is pending. */
  private completeStep(next: ProcessStateBase): void {
    if (this.hasTerminated()) return;
    if (this._extras?.interrupt !== undefined) this.applyInterrupt(next);
    else this.transitionTo(next);
    while (this._extras?.interrupt !== undefined && !this.hasTerminated()) this.applyInterrupt(undefined);
  }

  /**
   * Runs one step. Returns `true` when the step is complete, `false` when the
   * driver must wait (WAITING not resumed yet, or an async step in flight).
   */
  private stepOnce(): boolean {
    const state = this.currentState;
    if (state instanceof Running) {
      if (this._asyncStep !== 0) return false;
      let fn: StepFunction;
      let result: unknown;
      try {
        fn = state.fn ?? this.resolveStep(state.method);
        result = callStep(this, fn, state.args);
      } catch (error) {
        this.completeStep(new Excepted(this, asError(error)));
        return true;
      }
      if (result !== undefined && !(result instanceof Command) && isThenable(result)) {
        this.awaitStep(result);
        return false;
      }
      this.completeStep(this.stateForResult(result));
      return true;
    }
    if (state instanceof Created) {
      this.completeStep(new Running(this, 'run', NO_ARGS, undefined));
      return true;
    }
    if (state instanceof Waiting) {
      if (state.resumed) {
        this.completeStep(
          state.method === undefined
            ? new Finished(this, state.value, true, 0)
            : new Running(this, state.method, state.hasValue ? [state.value] : NO_ARGS, state.fn),
        );
        return true;
      }
      if (this._extras?.interrupt !== undefined) {
        this.applyInterrupt(undefined);
        return true;
      }
      return false;
    }
    return true;
  }

  private awaitStep(pending: PromiseLike<unknown>): void {
    const token = (this._asyncStep = (this._asyncStep % 0x3fffffff) + 1);
    // Promise.resolve: a thenable might call back synchronously, before the driver waits.
    Promise.resolve(pending).then(
      (value) => this.asyncStepDone(token, value, false),
      (error: unknown) => this.asyncStepDone(token, error, true),
    );
  }

  private asyncStepDone(token: number, value: unknown, failed: boolean): void {
    if (token !== this._asyncStep) return;
    this._asyncStep = 0;
    try {
      if (!this.hasTerminated()) {
        this.completeStep(failed ? new Excepted(this, asError(value)) : this.stateForResult(value));
      }
    } catch (error) {
      this.extras().driverError = error ?? new Error('step failed');
    }
    this.wakeUp();
  }

  /** Wakes the async driver up if it waits: it goes on in a microtask. */
  private wakeUp(): void {
    if ((this._flags & BLOCKED) === 0) return;
    this._flags &= ~BLOCKED;
    Process.drivers.schedule(this);
  }

  /**
   * Steps while it can. Returns `true` if it must wait (paused, WAITING, an
   * async step in flight), `false` once the process has terminated.
   */
  private stepWhilePossible(): boolean {
    while (!this.hasTerminated()) {
      if ((this._flags & PAUSED) !== 0) {
        this._flags &= ~STEPPING;
        return true;
      }
      this._flags |= STEPPING;
      // STEPPING stays set while the driver waits on a step (an async step, WAITING).
      if (!this.stepOnce()) return true;
      this._flags &= ~STEPPING;
    }
    return false;
  }

  /** Steps synchronously as far as possible; returns the driver's promise if it has to wait. */
  private driveSync(): Promise<void> | undefined {
    this._flags |= DRIVING;
    let waits = false;
    try {
      waits = this.stepWhilePossible();
    } finally {
      if (!waits) this._flags &= ~(DRIVING | STEPPING);
    }
    if (!waits) return undefined;
    const driver = new Promise<void>(captureResolve);
    this._settleDriver = capturedResolve;
    capturedResolve = undefined;
    this._driver = driver;
    this._flags |= BLOCKED;
    return driver;
  }

  /** The async driver, woken up: steps on, and waits again or settles its promise. */
  private resumeDrive(): void {
    let waits: boolean;
    try {
      const extras = this._extras;
      const error = extras?.driverError;
      if (error !== undefined) {
        extras!.driverError = undefined;
        throw asError(error);
      }
      waits = this.stepWhilePossible();
    } catch (error) {
      this.endDrive(Promise.reject(asError(error)));
      return;
    }
    if (waits) this._flags |= BLOCKED;
    else this.endDrive(undefined);
  }

  private endDrive(outcome: void | PromiseLike<void>): void {
    const settle = this._settleDriver!;
    this._driver = undefined;
    this._settleDriver = undefined;
    this._flags &= ~(DRIVING | STEPPING | BLOCKED);
    settle(outcome);
  }

  private outcome(): Promise<O> {
    try {
      return Promise.resolve(this.settledOutputs());
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  /** The outputs of a terminated process; throws KilledError / the exception. */
  private settledOutputs(): O {
    const state = this.currentState;
    if (state instanceof Finished) return (this._outputs ??= {}) as O;
    if (state instanceof Killed) throw new KilledError(state.msg.message);
    if (state instanceof Excepted) throw state.error;
    throw new InvalidStateError(`The process has not terminated (state: ${this.state})`);
  }
}
