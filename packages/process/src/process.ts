import type { Communicator } from '@plumpy-ts/communicator';
import { LoadSaveContext, PersistenceError, type Checkpointable, type SavedState } from '@plumpy-ts/persistence';
import { ExitCode, ProcessSpec } from '@plumpy-ts/ports';
import {
  InvalidStateError,
  StateEntryFailed,
  StateMachine,
  SuperNotCalledError,
  finishSuperCheck,
  markSuperCalled,
  startSuperCheck,
  type State,
} from '@plumpy-ts/state-machine';
import { Command, Continue, Kill, Stop, Wait, type StepFunction } from './commands.js';
import { callStep, currentProcess } from './current-process.js';
import { deepFreeze, frozenCopy } from './deep-freeze.js';
import { ClosedError, KilledError } from './errors.js';
import { consoleLogger, type Logger } from './logger.js';
import { pidStamp, uuidFromStamp, type PidStamp } from './pid.js';
import type { ProcessListener } from './process-listener.js';
import type { AnyProcess, LaunchOptions, ProcessClass, ProcessOptions, ProcessStatusInfo } from './process-options.js';
import { ProcessState } from './process-state.js';
import { attachRemoteControl, broadcastStateChange } from './remote-control.js';
import { loadListeners, loadStateObject, readProcessFields, saveListeners, saveStateObject } from './saved-state.js';
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
import { UnsuccessfulResult } from './unsuccessful-result.js';
import { asError, isThenable } from './values.js';

interface PendingInterrupt {
  readonly kind: 'pause' | 'kill';
  readonly msg: string | undefined;
  readonly force: boolean;
  readonly promise: Promise<boolean>;
  readonly resolve: (done: boolean) => void;
}

type ListenerEvent = keyof ProcessListener;

const specs = new WeakMap<object, ProcessSpec>();
let defineCalled = false;
const RESOLVED: Promise<void> = Promise.resolve();
const TRUE: Promise<boolean> = Promise.resolve(true);
const FALSE: Promise<boolean> = Promise.resolve(false);
const EMPTY_INPUTS: Readonly<Record<string, unknown>> = Object.freeze({});
const DEFAULT_CONTEXT = new LoadSaveContext();
/** The prototype of the class {@link Process.recreateFromSavedState} constructs (that construction skips CREATED). */
let loadingPrototype: object | undefined;

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
    let spec = specs.get(this);
    if (spec === undefined) {
      const created = this.createSpec();
      const enclosing = defineCalled;
      defineCalled = false;
      let called: boolean;
      try {
        this.define(created);
      } finally {
        called = defineCalled;
        defineCalled = enclosing;
      }
      if (!called) throw new SuperNotCalledError('define', this.name);
      specs.set(this, created);
      spec = created;
    }
    return spec;
  }

  /** Declares the ports and exit codes. Overrides must call `super.define(spec)` first. */
  static define(_spec: ProcessSpec): void {
    defineCalled = true;
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

  private readonly _spec: ProcessSpec;
  private _logger: Logger;
  private _communicator: Communicator | undefined;
  private _listeners: ProcessListener[] | undefined;
  private _givenInputs: I | undefined;
  private _pid: string | number | undefined;
  private _pidStamp: PidStamp | undefined = undefined;
  private _ctime = 0;
  private _rawInputs: Readonly<I> = EMPTY_INPUTS as Readonly<I>;
  private _inputs: Readonly<I> = EMPTY_INPUTS as Readonly<I>;
  private readonly _outputs: Record<string, unknown> = {};
  private _status: string | undefined = undefined;
  private _prePausedStatus: string | undefined = undefined;
  private _paused = false;
  private _closed = false;
  private _cleanups: (() => void)[] | undefined = undefined;
  // Runtime bookkeeping (not part of a saved process).
  private _stepping = false;
  private _driving = false;
  private _driver: Promise<void> | undefined = undefined;
  private _driverError: unknown = undefined;
  private _wake: (() => void) | undefined = undefined;
  private _interrupt: PendingInterrupt | undefined = undefined;
  private _asyncStep = 0;
  private _future: { promise: Promise<O>; settle: () => void } | undefined = undefined;
  private _finishing: Finished | undefined = undefined;

  constructor(options: ProcessOptions<I> = {}) {
    super({ deferInitialState: true });
    const cls = this.constructor as typeof Process;
    const spec = cls.spec();
    if (!spec.sealed) spec.seal();
    this._spec = spec;
    if (loadingPrototype !== undefined && new.target.prototype === loadingPrototype) {
      // Recreation from a saved state: recreateFromSavedState loads the rest.
      loadingPrototype = undefined;
      this._logger = consoleLogger;
      this._communicator = undefined;
      return;
    }
    this._logger = options.logger ?? consoleLogger;
    this._communicator = options.communicator;
    this._listeners = options.listeners === undefined ? undefined : [...options.listeners];
    this._givenInputs = options.inputs;
    this._pid = options.pid;
    this.enterInitialState();
    const enclosing = startSuperCheck(this);
    this.init();
    finishSuperCheck(this, enclosing, 'init');
    if (this._communicator !== undefined) attachRemoteControl(this, this._communicator);
  }

  // ------------------------------------------------------------------ introspection

  /** The process id: the one given, else a UUID v7 string (time-ordered by creation). */
  get pid(): string | number {
    if (this._pid === undefined) this._pid = uuidFromStamp(this._pidStamp ?? pidStamp(this._ctime));
    return this._pid;
  }

  /** Creation time, ms since the epoch. */
  get creationTime(): number {
    return this._ctime;
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
    return this._outputs as O;
  }

  /** The status message (set by kill and pause messages, or {@link Process.setStatus}). */
  get status(): string | undefined {
    return this._status;
  }

  /** Sets the status message. */
  setStatus(status: string | undefined): void {
    this._status = status;
  }

  /** Whether the process is paused (a flag, independent of the state). */
  get paused(): boolean {
    return this._paused;
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
    return this._logger;
  }

  /** The communicator, if one was given. */
  get communicator(): Communicator | undefined {
    return this._communicator;
  }

  /** Whether the process is closed (it terminated; it can no longer run or emit outputs). */
  get isClosed(): boolean {
    return this._closed;
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
    const state = this.state;
    return state === ProcessState.FINISHED || state === ProcessState.EXCEPTED || state === ProcessState.KILLED;
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
    return { ctime: this._ctime, paused: this._paused, processString: this.toString(), state: this.state };
  }

  /**
   * A promise of the outcome, settled when the process terminates: the outputs,
   * or a rejection with {@link KilledError} / the exception. It does not drive
   * the process (see {@link Process.execute}).
   */
  future(): Promise<O> {
    if (this._future === undefined) {
      if (this.hasTerminated()) return this.outcome();
      let settle!: () => void;
      const promise = new Promise<O>((resolve, reject) => {
        settle = () => {
          try {
            resolve(this.settledOutputs());
          } catch (error) {
            reject(asError(error));
          }
        };
      });
      this._future = { promise, settle };
    }
    return this._future.promise;
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
    if (this._closed) return Promise.reject(new ClosedError(`Process<${String(this.pid)}> is closed`));
    const driving = this.stepUntilTerminated();
    if (driving === RESOLVED) return this.outcome();
    return this.executeAsync(driving);
  }

  /**
   * Steps the process until it is terminated. Consecutive steps run without
   * giving the event loop away; it is given away only while WAITING, paused, or
   * awaiting an async step. Resolves when terminated (whatever the outcome); a
   * second call while the first is under way returns the same promise.
   */
  stepUntilTerminated(): Promise<void> {
    if (this._driver !== undefined) return this._driver;
    if (this._driving) return Promise.reject(new InvalidStateError('The process is already being stepped'));
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
    if (this._paused) return TRUE;
    const pending = this._interrupt;
    if (pending !== undefined) return pending.kind === 'pause' ? pending.promise : FALSE;
    if (this._stepping || this.isTransitioning) {
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
    if (!this._paused) {
      if (this._interrupt?.kind === 'pause') this.cancelInterrupt();
      return true;
    }
    const enclosing = startSuperCheck(this);
    this.onPlaying();
    finishSuperCheck(this, enclosing, 'onPlaying');
    this.wakeUp();
    return true;
  }

  /**
   * Kills the process. Inside a step the rest of the step runs, then the process
   * is KILLED; while WAITING or paused it is killed at once; `{ force: true }` kills
   * at once even mid-step. Resolves `true` once KILLED, `false` if it had already
   * terminated otherwise.
   */
  kill(msg?: string, options: { force?: boolean } = {}): Promise<boolean> {
    const state = this.state;
    if (state === ProcessState.KILLED) return TRUE;
    if (this.hasTerminated()) return FALSE;
    const force = options.force === true;
    if (this.isTransitioning) return this.setInterrupt('kill', msg, force).promise;
    // A paused process takes no step until played, so it is killed at once.
    if (force || !this._stepping || this._paused) {
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
    if (this._closed) throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot emit output '${name}'`);
    const enclosing = startSuperCheck(this);
    this.onOutputEmitting(name, value);
    finishSuperCheck(this, enclosing, 'onOutputEmitting');
    const spec = this._spec;
    const error = spec.validateOutput(name, value);
    if (error !== undefined) throw error;
    let dynamic: boolean;
    if (name.indexOf('.') === -1) {
      dynamic = !spec.outputs.has(name);
      this._outputs[name] = value;
    } else {
      dynamic = spec.outputs.tryGetPort(name) === undefined;
      const parts = name.split('.');
      let target = this._outputs;
      for (let i = 0; i < parts.length - 1; i += 1) {
        const key = parts[i]!;
        let next = target[key] as Record<string, unknown> | undefined;
        if (next === undefined) target[key] = next = {};
        target = next;
      }
      target[parts[parts.length - 1]!] = value;
    }
    this.notify('onOutputEmitted', name, value, dynamic);
  }

  /**
   * Creates a child process on the same communicator and starts stepping it
   * asynchronously (in a microtask); returns the child.
   */
  launch<P extends AnyProcess>(cls: ProcessClass<P>, options: LaunchOptions<object> = {}): P {
    if (this._closed) throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot launch`);
    const childOptions: ProcessOptions<object> = { logger: options.logger ?? this._logger };
    if (options.inputs !== undefined) childOptions.inputs = options.inputs;
    if (options.pid !== undefined) childOptions.pid = options.pid;
    if (this._communicator !== undefined) childOptions.communicator = this._communicator;
    const child = new (cls as unknown as new (o: ProcessOptions<object>) => P)(childOptions);
    queueMicrotask(() => {
      child.stepUntilTerminated().catch((error: unknown) => {
        this._logger.error(`Process<${String(child.pid)}>: stepping the launched process failed`, error);
      });
    });
    return child;
  }

  // ------------------------------------------------------------------ listeners and cleanups

  /** Adds a listener. */
  addProcessListener(listener: ProcessListener<this>): void {
    (this._listeners ??= []).push(listener as ProcessListener);
  }

  /** Removes a listener (no error if it was not added). */
  removeProcessListener(listener: ProcessListener<this>): void {
    const listeners = this._listeners;
    if (listeners === undefined) return;
    const index = listeners.indexOf(listener as ProcessListener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /** Registers a function to run when the process closes (it terminates). */
  addCleanup(cleanup: () => void): void {
    if (this._closed) throw new ClosedError(`Process<${String(this.pid)}> is closed: cannot add a cleanup`);
    (this._cleanups ??= []).push(cleanup);
  }

  /** Closes the process: runs the cleanups. Idempotent; done automatically on termination. */
  close(): void {
    if (this._closed) return;
    const enclosing = startSuperCheck(this);
    this.onClose();
    finishSuperCheck(this, enclosing, 'onClose');
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
    const enclosing = startSuperCheck(this);
    this.saveInstanceState(out, context);
    finishSuperCheck(this, enclosing, 'saveInstanceState');
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
    out.pid = this.pid;
    out.ctime = this._ctime;
    out.paused = this._paused;
    if (this._status !== undefined) out.status = this._status;
    if (this._prePausedStatus !== undefined) out.prePausedStatus = this._prePausedStatus;
    out.rawInputs = this._rawInputs;
    out.inputs = this._inputs;
    out.outputs = this._outputs;
    out.state = saveStateObject(state);
    const listeners = saveListeners(this._listeners, context);
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
    this._logger = logger ?? consoleLogger;
    this._communicator = communicator;
    this._pid = fields.pid;
    this._ctime = fields.ctime;
    this._paused = fields.paused === true;
    this._status = fields.status;
    this._prePausedStatus = fields.prePausedStatus;
    this._rawInputs = deepFreeze(fields.rawInputs) as Readonly<I>;
    this._inputs = deepFreeze(fields.inputs) as Readonly<I>;
    Object.assign(this._outputs, fields.outputs);
    this.restoreState(loadStateObject(this, fields.state, this._spec.exitCodes));
    this._listeners = loadListeners(this, fields.listeners, context);
  }

  // ------------------------------------------------------------------ hooks (each must call super)

  /** After the initial state was entered (and, later, after loading). Must call `super.init()`. */
  protected init(): void {
    markSuperCalled(this);
  }

  /** Entering CREATED: records the creation time, parses and validates the inputs. Must call `super`. */
  protected onCreate(): void {
    markSuperCalled(this);
    this._ctime = Date.now();
    if (this._pid === undefined) this._pidStamp = pidStamp(this._ctime);
    const given = this._givenInputs;
    this._givenInputs = undefined;
    const raw = given === undefined ? (EMPTY_INPUTS as Readonly<I>) : frozenCopy(given);
    const parsed = this._spec.preProcessInputs(raw as Record<string, unknown>);
    const error = this._spec.validateInputs(parsed);
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
    this.notify('onProcessRunning');
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
    this.notify('onProcessWaiting');
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
    this._paused = true;
    this._prePausedStatus = this._status;
    if (msg !== undefined) this._status = msg;
    this.notify('onProcessPaused');
  }

  /** The process is played: clears the flag, restores the status; notifies `onProcessPlayed`. Must call `super`. */
  protected onPlaying(): void {
    markSuperCalled(this);
    this._paused = false;
    this._status = this._prePausedStatus;
    this._prePausedStatus = undefined;
    this.notify('onProcessPlayed');
  }

  /**
   * Entering FINISHED. A successful finish checks the outputs against the spec;
   * if they are invalid (e.g. a required one is missing) the process finishes
   * unsuccessfully instead. Must call `super.onFinish(result, successful)`.
   */
  protected onFinish(result: unknown, successful: boolean): void {
    markSuperCalled(this);
    if (successful) {
      const error = this._spec.validateOutputs(this._outputs);
      if (error !== undefined) {
        this._logger.debug(`Process<${String(this.pid)}>: invalid outputs: ${error.message}`);
        throw new StateEntryFailed(new Finished(this, result, false, this._finishing?.exitStatus ?? 0));
      }
    }
  }

  /** Entered FINISHED; notifies `onProcessFinished`. Must call `super.onFinished()`. */
  protected onFinished(): void {
    markSuperCalled(this);
    this.notify('onProcessFinished', this._outputs);
  }

  /** Entering EXCEPTED. Must call `super.onExcept(error)`. */
  protected onExcept(_error: Error): void {
    markSuperCalled(this);
  }

  /** Entered EXCEPTED; notifies `onProcessExcepted`. Must call `super.onExcepted()`. */
  protected onExcepted(): void {
    markSuperCalled(this);
    this.notify('onProcessExcepted', this.exception()?.message ?? '');
  }

  /** Entering KILLED: the kill message becomes the status. Must call `super.onKill(msg)`. */
  protected onKill(msg: KillMessage): void {
    markSuperCalled(this);
    this._status = msg.message ?? '';
  }

  /** Entered KILLED; notifies `onProcessKilled`. Must call `super.onKilled()`. */
  protected onKilled(): void {
    markSuperCalled(this);
    this.notify('onProcessKilled', this.killedMsg());
  }

  /** A terminal state was entered: closes the process. Must call `super.onTerminated()`. */
  protected override onTerminated(): void {
    super.onTerminated();
    this.close();
    this.cancelInterrupt();
    const future = this._future;
    if (future !== undefined) future.settle();
    this.wakeUp();
  }

  /** Closing: runs the cleanups (errors are logged). Must call `super.onClose()`. */
  protected onClose(): void {
    markSuperCalled(this);
    const cleanups = this._cleanups;
    this._cleanups = undefined;
    this._closed = true;
    if (cleanups === undefined) return;
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch (error) {
        this._logger.error(`Process<${String(this.pid)}>: a cleanup failed`, error);
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
    if (result === undefined) return new Finished(this, undefined, true, 0);
    if (result instanceof Command) {
      if (result instanceof Continue) return new Running(this, result.method, result.args, result.fn);
      if (result instanceof Wait) return new Waiting(this, result.method, result.fn, result.msg, result.data);
      if (result instanceof Stop) return new Finished(this, result.result, result.successful, 0);
      if (result instanceof Kill) return new Killed(this, { message: result.msg, force: false });
      throw new InvalidStateError(`Unrecognised command ${result.constructor.name}`);
    }
    if (result instanceof ExitCode) return new Finished(this, result, result.status === 0, result.status);
    if (result instanceof UnsuccessfulResult) {
      const value: unknown = result.result;
      return new Finished(this, value, false, Number.isInteger(value) ? (value as number) : 0);
    }
    return new Finished(this, result, true, 0);
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
    let enclosing: boolean;
    switch (state.label) {
      case ProcessState.CREATED:
        enclosing = startSuperCheck(this);
        this.onCreate();
        finishSuperCheck(this, enclosing, 'onCreate');
        break;
      case ProcessState.RUNNING:
        enclosing = startSuperCheck(this);
        this.onRun();
        finishSuperCheck(this, enclosing, 'onRun');
        break;
      case ProcessState.WAITING:
        enclosing = startSuperCheck(this);
        this.onWait((state as Waiting).data);
        finishSuperCheck(this, enclosing, 'onWait');
        break;
      case ProcessState.FINISHED:
        this._finishing = state as Finished;
        enclosing = startSuperCheck(this);
        try {
          this.onFinish((state as Finished).result, (state as Finished).successful);
        } finally {
          this._finishing = undefined;
        }
        finishSuperCheck(this, enclosing, 'onFinish');
        break;
      case ProcessState.EXCEPTED:
        enclosing = startSuperCheck(this);
        this.onExcept((state as Excepted).error);
        finishSuperCheck(this, enclosing, 'onExcept');
        break;
      case ProcessState.KILLED:
        enclosing = startSuperCheck(this);
        this.onKill((state as Killed).msg);
        finishSuperCheck(this, enclosing, 'onKill');
        break;
    }
  }

  protected override onEntered(from: State<ProcessState> | undefined): void {
    let enclosing: boolean;
    switch (this.state) {
      case ProcessState.CREATED:
        this.notify('onProcessCreated');
        break;
      case ProcessState.RUNNING:
        enclosing = startSuperCheck(this);
        this.onRunning();
        finishSuperCheck(this, enclosing, 'onRunning');
        break;
      case ProcessState.WAITING:
        enclosing = startSuperCheck(this);
        this.onWaiting();
        finishSuperCheck(this, enclosing, 'onWaiting');
        break;
      case ProcessState.FINISHED:
        enclosing = startSuperCheck(this);
        this.onFinished();
        finishSuperCheck(this, enclosing, 'onFinished');
        break;
      case ProcessState.EXCEPTED:
        enclosing = startSuperCheck(this);
        this.onExcepted();
        finishSuperCheck(this, enclosing, 'onExcepted');
        break;
      case ProcessState.KILLED:
        enclosing = startSuperCheck(this);
        this.onKilled();
        finishSuperCheck(this, enclosing, 'onKilled');
        break;
    }
    const communicator = this._communicator;
    if (communicator !== undefined) broadcastStateChange(this, communicator, from?.label ?? null, this.state);
  }

  protected override onExiting(_next: State<ProcessState>): void {
    let enclosing: boolean;
    switch (this.state) {
      case ProcessState.RUNNING:
        enclosing = startSuperCheck(this);
        this.onExitRunning();
        finishSuperCheck(this, enclosing, 'onExitRunning');
        break;
      case ProcessState.WAITING:
        enclosing = startSuperCheck(this);
        this.onExitWaiting();
        finishSuperCheck(this, enclosing, 'onExitWaiting');
        break;
    }
  }

  // ------------------------------------------------------------------ private

  /** The rest of {@link Process.recreateFromSavedState}, on the new instance. */
  private completeLoad(saved: SavedState, context: LoadSaveContext): void {
    let enclosing = startSuperCheck(this);
    this.loadInstanceState(saved, context);
    finishSuperCheck(this, enclosing, 'loadInstanceState');
    enclosing = startSuperCheck(this);
    this.init();
    finishSuperCheck(this, enclosing, 'init');
    if (this.hasTerminated()) this.close();
    else if (this._communicator !== undefined) attachRemoteControl(this, this._communicator);
  }

  /**
   * Makes `state` the current state without entering it (no hooks, no
   * listeners): the machine is in it, as it was when saved.
   */
  private restoreState(state: ProcessStateBase): void {
    // The state machine has no public way to be put into a state without a
    // transition; its current state lives in the field `_state`.
    (this as unknown as { _state: State<ProcessState> | undefined })._state = state;
    state.inState = true;
    if (this.currentState !== state) {
      throw new InvalidStateError('Cannot restore the state of a process: the state machine does not keep it in _state');
    }
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
    const listeners = this._listeners;
    if (listeners === undefined || listeners.length === 0) return;
    for (const listener of listeners.slice()) {
      const handler = (listener as Record<ListenerEvent, unknown>)[event];
      if (typeof handler !== 'function') continue;
      try {
        handler.call(listener, this, a, b, c);
      } catch (error) {
        this._logger.error(`Process<${String(this.pid)}>: listener ${event} threw`, error);
      }
    }
  }

  /** Transitions, then applies an interrupt requested during the transition if no step will. */
  private transition(next: ProcessStateBase): void {
    this.transitionTo(next);
    const pending = this._interrupt;
    if (pending !== undefined && (pending.force || !this._stepping) && !this.isTransitioning) {
      this.applyInterrupt(undefined);
    }
  }

  private setInterrupt(kind: 'pause' | 'kill', msg: string | undefined, force: boolean): PendingInterrupt {
    this.cancelInterrupt();
    let resolve!: (done: boolean) => void;
    const promise = new Promise<boolean>((r) => {
      resolve = r;
    });
    const interrupt: PendingInterrupt = { kind, msg, force, promise, resolve };
    this._interrupt = interrupt;
    return interrupt;
  }

  private cancelInterrupt(): void {
    const pending = this._interrupt;
    if (pending === undefined) return;
    this._interrupt = undefined;
    pending.resolve(false);
  }

  /** Runs the pending interrupt: a kill goes to KILLED; a pause moves to `next` (if any) and pauses. */
  private applyInterrupt(next: ProcessStateBase | undefined): void {
    const pending = this._interrupt!;
    this._interrupt = undefined;
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
      pending.resolve(this._paused);
    }
  }

  private doPause(msg: string | undefined): void {
    let enclosing = startSuperCheck(this);
    this.onPausing(msg);
    finishSuperCheck(this, enclosing, 'onPausing');
    enclosing = startSuperCheck(this);
    this.onPaused(msg);
    finishSuperCheck(this, enclosing, 'onPaused');
  }

  /** Ends a step: moves to `next`, unless a force kill ended the process already or an interrupt is pending. */
  private completeStep(next: ProcessStateBase): void {
    if (this.hasTerminated()) return;
    if (this._interrupt !== undefined) this.applyInterrupt(next);
    else this.transitionTo(next);
    while (this._interrupt !== undefined && !this.hasTerminated()) this.applyInterrupt(undefined);
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
    if (state instanceof Waiting) {
      if (state.resumed) {
        this.completeStep(
          state.method === undefined
            ? new Finished(this, state.value, true, 0)
            : new Running(this, state.method, state.hasValue ? [state.value] : [], state.fn),
        );
        return true;
      }
      if (this._interrupt !== undefined) {
        this.applyInterrupt(undefined);
        return true;
      }
      return false;
    }
    if (state instanceof Created) {
      this.completeStep(new Running(this, 'run', [], undefined));
      return true;
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
      this._driverError = error ?? new Error('step failed');
    }
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this._wake;
    if (wake !== undefined) {
      this._wake = undefined;
      wake();
    }
  }

  private block(): Promise<void> {
    return new Promise<void>((resolve) => {
      this._wake = resolve;
    });
  }

  /** Steps synchronously as far as possible; returns the async driver if it had to wait. */
  private driveSync(): Promise<void> | undefined {
    this._driving = true;
    let handedOver = false;
    try {
      while (!this.hasTerminated()) {
        if (this._paused) {
          handedOver = true;
          return (this._driver = this.driveAsync());
        }
        this._stepping = true;
        if (!this.stepOnce()) {
          handedOver = true;
          return (this._driver = this.driveAsync());
        }
        this._stepping = false;
      }
      return undefined;
    } finally {
      if (!handedOver) {
        this._driving = false;
        this._stepping = false;
      }
    }
  }

  private async driveAsync(): Promise<void> {
    try {
      do {
        await this.block();
        if (this._driverError !== undefined) {
          const error = this._driverError;
          this._driverError = undefined;
          throw asError(error);
        }
        while (!this.hasTerminated()) {
          if (this._paused) {
            this._stepping = false;
            break;
          }
          this._stepping = true;
          if (!this.stepOnce()) break;
          this._stepping = false;
        }
      } while (!this.hasTerminated());
    } finally {
      this._driver = undefined;
      this._driving = false;
      this._stepping = false;
      this._wake = undefined;
    }
  }

  private async executeAsync(driving: Promise<void>): Promise<O> {
    await driving;
    return this.settledOutputs();
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
    if (state instanceof Killed) throw new KilledError(state.msg.message);
    if (state instanceof Excepted) throw state.error;
    if (!(state instanceof Finished)) {
      throw new InvalidStateError(`The process has not terminated (state: ${this.state})`);
    }
    return this._outputs as O;
  }
}
