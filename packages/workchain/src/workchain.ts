import {
  Continue,
  ExitCode,
  PersistenceError,
  Process,
  ProcessState,
  Wait,
  type AnyProcess,
  type KillMessage,
  type LoadSaveContext,
  type LaunchOptions,
  type PortValues,
  type ProcessClass,
  type ProcessOptions,
  type ProcessStatusInfo,
  type SavedState,
  type SpecProvider,
  type StepFunction,
} from '@plumpy-ts/process';
import { AppendMarker, type AwaitableTarget } from './append.js';
import type { AwaitableRecord } from './awaitable-record.js';
import { CHILD_RESOLVER_KEY, type ChildHandle, type ChildResolver } from './child-resolver.js';
import { compileOutline } from './compile-outline.js';
import { createResumeQueue } from './resume-queue.js';
import { putInContext, type WorkChainContext } from './context.js';
import { awaitableFailure } from './awaitable-failure.js';
import { OutlineError } from './errors.js';
import { describeValue } from './outline-entry.js';
import { isThenable } from './thenable.js';
import { findLiveChild, rememberLiveChild } from './live-children.js';
import { loadAwaitableFailure, readWorkChainFields, saveAwaitableFailure } from './saved-workchain-state.js';
import type { ExposedOptions, WorkChainState } from './workchain-options.js';
import { NodeKind, type CompiledOutline, type LeafNode } from './outline-node.js';
import {
  createPosition,
  formatPosition,
  isValidPath,
  leafDone,
  moveToEnd,
  nextLeaf,
  outlineDone,
  positionPath,
  type OutlinePosition,
} from './stepper.js';
import { WorkChainSpec } from './workchain-spec.js';

/** The outline of each spec, compiled for its class when the spec is built. */
const compiledOutlines = new WeakMap<WorkChainSpec, CompiledOutline>();
/** The spec of the work chain created last, and its compiled outline (chains usually come in runs of a class). */
let lastSpec: WorkChainSpec | undefined;
let lastOutline: CompiledOutline | undefined;
/** The live child process behind an awaitable record (the record itself is plain data). */
const recordChildren = new WeakMap<AwaitableRecord, AnyProcess>();

/** A child that runs elsewhere, followed (and controlled) through a resolver's {@link ChildHandle}. */
interface RemoteChild {
  readonly pid: string;
  readonly handle: ChildHandle;
}

/** A child a work chain controls: a live process, or one that runs elsewhere. */
type ControlledChild = AnyProcess | RemoteChild;

/** What a reloaded work chain found for one child it waits for. */
interface ChildSource {
  readonly record: AwaitableRecord;
  readonly outcome: PromiseLike<unknown> | undefined;
  /** The child, when it is a live process of this Node process. */
  readonly live: AnyProcess | undefined;
  /** The resolver's handle on a child that runs elsewhere. */
  readonly handle: ChildHandle | undefined;
}

/** Whether `value` has the shape of a {@link ChildHandle}. */
function isChildHandle(value: unknown): value is ChildHandle {
  if (typeof value !== 'object' || value === null) return false;
  const handle = value as Record<string, unknown>;
  return (
    typeof handle.future === 'function' &&
    typeof handle.pause === 'function' &&
    typeof handle.play === 'function' &&
    typeof handle.kill === 'function'
  );
}

/**
 * A process that runs an outline of steps — methods of the class — with
 * conditionals (`if_`), loops (`while_`) and early returns (`return_`), keeping
 * its data in a context (`ctx`) that persists between steps. A step may
 * register promises and child processes with {@link WorkChain.toContext}: the
 * work chain then WAITs until all have settled, and their values land in the
 * context. plumpy's `WorkChain`, with AiiDA's `append_`, exit codes and exposed
 * ports.
 *
 * A step's return value: `undefined` goes on with the outline; an
 * {@link ExitCode} (`this.exitCodes.NAME`) or a number (an exit status) ends
 * the work chain with that exit code; any other value ends it as a process's
 * `run()` would (a command is obeyed, a value is the result).
 *
 * Pausing or killing a work chain pauses or kills the child processes it
 * launched (and those it waits for) that are still running; playing it plays
 * the children it paused. A chain recreated from a checkpoint does the same to
 * the children it waits for through the {@link ChildHandle}s its load
 * context's `awaitChild` resolver gives (children on other workers).
 *
 * @example
 * class Loop extends WorkChain<{ n: number }> {
 *   static override define(spec: WorkChainSpec): void {
 *     super.define(spec);
 *     spec.input('n', { validType: Number });
 *     spec.outline('init', while_('more')('step'));
 *   }
 *   init(): void { this.ctx.i = 0; }
 *   more(): boolean { return (this.ctx.i as number) < this.inputs.n; }
 *   step(): void { this.ctx.i = (this.ctx.i as number) + 1; }
 * }
 *
 * @typeParam I - the inputs' type.
 * @typeParam O - the outputs' type.
 * @typeParam C - the context's type.
 */
export class WorkChain<
  I extends object = Record<string, unknown>,
  O extends object = Record<string, unknown>,
  C extends object = WorkChainContext,
> extends Process<I, O> {
  /** The command that runs the next outline step; shared, as it holds no per-chain data. */
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the process calls it with the work chain as `this`
  private static readonly NEXT_STEP: Continue = new Continue(WorkChain.prototype.stepOutline);
  /** The command that waits for the awaitables; shared too. */
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the process calls it with the work chain as `this`
  private static readonly AWAIT: Wait = new Wait(WorkChain.prototype.continueAfterWait, 'Waiting before next step');
  /** Resumes work chains whose awaitables settled, on the next turn of the event loop. */
  private static readonly resumeSoon = createResumeQueue<WorkChain<object, object, object>>(
    (chain) => chain.resumeIfSettled(),
    (chain, error) => chain.logger.error(`WorkChain<${String(chain.pid)}>: could not resume after its awaitables settled`, error),
  );

  /** Makes an empty {@link WorkChainSpec}. */
  static override createSpec(): WorkChainSpec {
    return new WorkChainSpec();
  }

  /**
   * The class's spec, built by `define` on first use (and sealed on first
   * instantiation); when it is built, the outline is compiled for the class.
   *
   * @throws OutlineError when the outline names a method the class lacks, a
   *   method taking parameters, a method of the base class, or an undeclared exit code
   */
  static override spec(): WorkChainSpec {
    const spec = super.spec();
    if (!(spec instanceof WorkChainSpec)) {
      throw new TypeError(`${this.name}.createSpec() must return a WorkChainSpec`);
    }
    if (!compiledOutlines.has(spec)) {
      const entries = spec.outlineEntries;
      if (entries !== undefined) {
        compiledOutlines.set(
          spec,
          compileOutline(entries, {
            name: this.name,
            prototype: this.prototype as object,
            reserved: WorkChain.prototype,
            exitCodes: spec.exitCodes,
          }),
        );
      }
    }
    return spec;
  }

  /** Declares ports, exit codes and the outline. Overrides must call `super.define(spec)` first. */
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
  }

  /**
   * Creates the work chain (in CREATED). Inputs may leave out those with
   * defaults, so they are typed as a partial `I`; they are validated against
   * the spec (invalid ones make the constructor throw).
   *
   * @throws OutlineError when the class declares no outline, or a malformed one
   */
  constructor(options: ProcessOptions<I> = {}) {
    super(options);
  }

  // Declared, not initialised as fields: they are set in onCreate (which runs
  // inside the base constructor) or when a saved work chain is loaded.
  declare private _ctx: C;
  declare private _outline: CompiledOutline;
  declare private _position: OutlinePosition;
  /** Registered awaitables (plain data), in registration order. */
  declare private _awaiting: AwaitableRecord[] | undefined;
  /** How many of `_awaiting` have not settled yet. */
  declare private _pending: number;
  /** The failure of an awaitable, thrown by the next step (not saved). */
  declare private _failure: Error | undefined;
  /** Child processes launched or awaited (live objects, not saved). */
  declare private _children: AnyProcess[] | undefined;
  /** Children followed through a resolver's handle (they run elsewhere) that have not ended (not saved). */
  declare private _remoteChildren: RemoteChild[] | undefined;
  /** Children paused because this work chain was paused (played with it); saved by pid. */
  declare private _pausedChildren: ControlledChild[] | undefined;
  /** Whether a step of the outline is running (a checkpoint taken now reruns it). */
  declare private _inStep: boolean;

  /**
   * The context: a plain object that persists between steps and is saved with
   * the work chain (instance fields are not). Values of awaitables land here.
   */
  get ctx(): C {
    return this._ctx;
  }

  /**
   * Plumpy's string of the position of the next instruction in the outline,
   * e.g. `'1:while_(more)(0:if_(always)(1:count))'` (entry indices and the
   * conditionals on the way); `'2:if_(cond)'` when a condition is checked next.
   * Empty once the outline has run to its end.
   */
  get stepperPosition(): string {
    return formatPosition(this._outline, this._position);
  }

  /** The status info, with the stepper position as `stepper`. */
  override getStatusInfo(): ProcessStatusInfo {
    return { ...super.getStatusInfo(), stepper: this.stepperPosition };
  }

  /** This work chain's spec. */
  override spec(): WorkChainSpec {
    return super.spec() as WorkChainSpec;
  }

  /** Entering CREATED: also compiles (or fetches) the outline and starts an empty context. */
  protected override onCreate(): void {
    super.onCreate();
    const spec = this.spec();
    const outline = spec === lastSpec ? lastOutline : compiledOutlines.get(spec);
    if (outline === undefined) {
      const cls = this.constructor as typeof WorkChain;
      throw new OutlineError(`${cls.name} has no outline: declare one with spec.outline(...) in its static define()`);
    }
    lastSpec = spec;
    lastOutline = outline;
    this._outline = outline;
    this._ctx = {} as C;
    this._position = createPosition(outline.maxDepth);
    this._awaiting = undefined;
    this._pending = 0;
    this._failure = undefined;
    this._children = undefined;
    this._remoteChildren = undefined;
    this._pausedChildren = undefined;
    this._inStep = false;
  }

  // ------------------------------------------------------------------ stepping

  /** The first step: runs the outline's first step. (A step of the outline may be named `run`.) */
  override run(): unknown {
    return this.stepOutline();
  }

  /** `'run'` always names the outline's driver, so that an outline step may be called `run`. */
  protected override resolveStep(method: string): StepFunction {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the process calls it with the work chain as `this`
    if (method === 'run') return WorkChain.prototype.stepOutline;
    return super.resolveStep(method);
  }

  /**
   * Runs the next step of the outline (evaluating the conditions on the way)
   * and tells the process what to do next: go on, wait for awaitables, or end.
   */
  protected stepOutline(): unknown {
    if (this._awaiting !== undefined || this._failure !== undefined) {
      // Awaitables registered outside a step, or taken over from a saved state.
      const wait = this.settleAwaitables();
      if (wait !== undefined) return wait;
    }
    const root = this._outline.root;
    const position = this._position;
    if (outlineDone(root, position)) return undefined;
    const leaf = nextLeaf(this, root, position);
    if (leaf === undefined) return this.afterStep(undefined);
    if (leaf.kind === NodeKind.RETURN) {
      moveToEnd(root, position);
      return leaf.exitCode;
    }
    let result: unknown;
    this._inStep = true;
    try {
      result = leaf.fn.call(this);
    } catch (error) {
      this._inStep = false;
      throw error;
    }
    if (result !== undefined && isThenable(result)) {
      return result.then(
        (value) => this.afterLeaf(leaf, value),
        (error: unknown) => {
          this._inStep = false;
          throw error;
        },
      );
    }
    this._inStep = false;
    leafDone(leaf, position);
    return this.afterStep(result);
  }

  /** After an async step ran: moves past it and decides what comes next. */
  private afterLeaf(leaf: LeafNode, result: unknown): unknown {
    this._inStep = false;
    leafDone(leaf, this._position);
    return this.afterStep(result);
  }

  private afterStep(result: unknown): unknown {
    if (result !== undefined) return typeof result === 'number' ? this.exitCodeFor(result) : result;
    if (this._awaiting !== undefined || this._failure !== undefined) {
      const wait = this.settleAwaitables();
      if (wait !== undefined) return wait;
    }
    return outlineDone(this._outline.root, this._position) ? undefined : WorkChain.NEXT_STEP;
  }

  /** The step run when the awaitables have settled: puts their values into the context, then steps on. */
  protected continueAfterWait(): unknown {
    const wait = this.settleAwaitables();
    if (wait !== undefined) return wait;
    return this.stepOutline();
  }

  /**
   * Throws the failure of an awaitable, if one failed; returns the wait command
   * while some are pending; otherwise puts their values into the context.
   */
  private settleAwaitables(): Wait | undefined {
    const failure = this._failure;
    if (failure !== undefined) {
      this._failure = undefined;
      this.dropAwaitables();
      throw failure;
    }
    if (this._awaiting === undefined) return undefined;
    if (this._pending > 0) return WorkChain.AWAIT;
    this.applyAwaited();
    return undefined;
  }

  /** The declared exit code with this status, or a new one. */
  private exitCodeFor(status: number): ExitCode {
    const codes = this.exitCodes;
    for (const name in codes) {
      const code = codes[name]!;
      if (code.status === status) return code;
    }
    return new ExitCode(status);
  }

  // ------------------------------------------------------------------ awaitables

  /**
   * Registers awaitables: the work chain waits (after the current step) until
   * all have settled, then puts each value into the context under its key — a
   * promise's value, a child process's outputs; wrapped in {@link append_}, the
   * value is appended to an array. Dots in a key address nested objects
   * (`'results.first'`). A rejected promise, or a child that excepts or is
   * killed, makes the work chain EXCEPTED with an {@link AwaitableFailedError}.
   *
   * @example
   * this.toContext({ child: this.launch(Child), data: fetchData(), all: append_(this.launch(Other)) });
   * @throws TypeError when a value is not a promise, a process or `append_(...)` of one
   */
  toContext(entries: Readonly<Record<string, AwaitableTarget | AppendMarker>>): void {
    for (const key of Object.keys(entries)) {
      const entry = entries[key];
      if (entry instanceof AppendMarker) this.addAwaitable(key, entry.target, true);
      else this.addAwaitable(key, entry, false);
    }
  }

  /** The awaitables registered and not yet put into the context (plain data). */
  get awaiting(): readonly Readonly<AwaitableRecord>[] {
    return this._awaiting ?? [];
  }

  private addAwaitable(key: string, target: unknown, append: boolean): void {
    let record: AwaitableRecord;
    let promise: PromiseLike<unknown>;
    if (target instanceof Process) {
      const child = target as AnyProcess;
      record = { key, kind: 'process', pid: child.pid, append, done: false, value: undefined };
      promise = child.future();
      recordChildren.set(record, child);
      this.adoptChild(child);
    } else if (isThenable(target)) {
      record = { key, kind: 'promise', pid: undefined, append, done: false, value: undefined };
      promise = target;
    } else {
      throw new TypeError(
        `toContext: '${key}' must be a promise, a child process or append_(...) of one, not ${describeValue(target)}`,
      );
    }
    if (this._awaiting === undefined) this._awaiting = [record];
    else this._awaiting.push(record);
    this._pending += 1;
    void promise.then(
      (value) => this.awaitableSettled(record, target, value, false),
      (error: unknown) => this.awaitableSettled(record, target, error, true),
    );
  }

  /** An awaitable settled: records its value (or its failure) and resumes the chain once all have. */
  private awaitableSettled(record: AwaitableRecord, target: unknown, value: unknown, failed: boolean): void {
    if (record.done || this._failure !== undefined || this.hasTerminated()) return;
    if (this._awaiting === undefined || !this._awaiting.includes(record)) return;
    if (failed) {
      this._failure = awaitableFailure(record, target, value);
    } else {
      record.done = true;
      record.value = value;
      this._pending -= 1;
    }
    if ((failed || this._pending === 0) && this.state === ProcessState.WAITING) WorkChain.resumeSoon(this);
  }

  /**
   * Entering WAITING: if the awaitables settled while the step that registered
   * them was still finishing (an async step), nothing else will resume the
   * chain, so it resumes itself (on the next turn). Must call `super.onWaiting()`.
   */
  protected override onWaiting(): void {
    super.onWaiting();
    if (this._failure !== undefined || (this._awaiting !== undefined && this._pending === 0)) WorkChain.resumeSoon(this);
  }

  /** Leaves WAITING if the awaitables have all settled (or one failed). */
  private resumeIfSettled(): void {
    if (this.state !== ProcessState.WAITING) return;
    if (this._failure !== undefined || this._pending === 0) this.resume();
  }

  private applyAwaited(): void {
    const awaiting = this._awaiting;
    if (awaiting === undefined) return;
    this._awaiting = undefined;
    this._pending = 0;
    const ctx = this._ctx as WorkChainContext;
    for (const record of awaiting) putInContext(ctx, record.key, record.value, record.append);
  }

  private dropAwaitables(): void {
    this._awaiting = undefined;
    this._pending = 0;
  }

  // ------------------------------------------------------------------ children

  /** Launches a child process (as {@link Process.launch}); it is paused and killed with this work chain. */
  override launch<P extends AnyProcess>(cls: ProcessClass<P>, options?: LaunchOptions<object>): P {
    const child = super.launch(cls, options);
    this.adoptChild(child);
    return child;
  }

  /** Remembers a child (forgetting terminated ones), so that pause and kill reach it. */
  private adoptChild(child: AnyProcess): void {
    const children = this._children;
    if (children === undefined) {
      this._children = [child];
      return;
    }
    if (children.includes(child)) return;
    let kept = 0;
    for (const known of children) if (!known.hasTerminated()) children[kept++] = known;
    children.length = kept;
    children.push(child);
  }

  /** The child processes launched or awaited that are still running. */
  get runningChildren(): AnyProcess[] {
    return (this._children ?? []).filter((child) => !child.hasTerminated());
  }

  /**
   * The handles on children that run elsewhere (given by the load context's
   * `awaitChild` resolver when the chain was recreated) whose end the chain
   * has not learnt of yet.
   */
  get remoteChildren(): ChildHandle[] {
    return (this._remoteChildren ?? []).map((child) => child.handle);
  }

  /**
   * Paused: pauses the running children too — live ones directly, those on
   * other workers through their handles. Must call `super.onPaused(msg)`.
   */
  protected override onPaused(msg: string | undefined): void {
    super.onPaused(msg);
    for (const child of this.runningChildren) {
      if (child.paused) continue;
      (this._pausedChildren ??= []).push(child);
      child.pause(msg).catch((error: unknown) => this.childControlFailed('pausing', child, error));
    }
    for (const child of this._remoteChildren ?? []) {
      const paused = (this._pausedChildren ??= []);
      if (paused.includes(child)) continue;
      paused.push(child);
      this.controlRemote('pausing', child, (handle) => handle.pause(msg));
    }
  }

  /** Played: plays the children it paused (wherever they run). Must call `super.onPlaying()`. */
  protected override onPlaying(): void {
    super.onPlaying();
    const paused = this._pausedChildren;
    this._pausedChildren = undefined;
    if (paused === undefined) return;
    for (const child of paused) {
      if (child instanceof Process) {
        if (!child.hasTerminated()) child.play();
      } else if (this._remoteChildren?.includes(child) === true) {
        this.controlRemote('playing', child, (handle) => handle.play());
      }
    }
  }

  /** Entering KILLED: kills the running children too (wherever they run). Must call `super.onKill(msg)`. */
  protected override onKill(msg: KillMessage): void {
    super.onKill(msg);
    const children = this.runningChildren;
    const remote = this._remoteChildren ?? [];
    if (children.length === 0 && remote.length === 0) return;
    const text = msg.message ?? `Killed by parent ${this.getName()}<${String(this.pid)}>`;
    const options = { force: msg.force };
    for (const child of children) {
      child.kill(text, options).catch((error: unknown) => this.childControlFailed('killing', child, error));
    }
    for (const child of remote) this.controlRemote('killing', child, (handle) => handle.kill(text, options));
  }

  /** Pauses, plays or kills a child that runs elsewhere; a failure (thrown or a rejection) is logged. */
  private controlRemote(action: string, child: RemoteChild, control: (handle: ChildHandle) => unknown): void {
    try {
      const outcome = control(child.handle);
      if (isThenable(outcome)) {
        Promise.resolve(outcome).catch((error: unknown) => this.childControlFailed(action, child, error));
      }
    } catch (error) {
      this.childControlFailed(action, child, error);
    }
  }

  /** Logs a failure to pause, play or kill a child (it is never thrown). */
  private childControlFailed(action: string, child: ControlledChild, error: unknown): void {
    this.logger.error(`WorkChain<${String(this.pid)}>: ${action} child ${String(child.pid)} failed`, error);
  }

  /**
   * Terminated: lets go of live children and of the awaitables, which nothing
   * will wait for any more (the context and position stay). Must call
   * `super.onTerminated()`.
   */
  protected override onTerminated(): void {
    super.onTerminated();
    this._children = undefined;
    this._remoteChildren = undefined;
    this._pausedChildren = undefined;
    this.dropAwaitables();
    this._failure = undefined;
  }

  // ------------------------------------------------------------------ exposed ports

  /**
   * The inputs of this work chain that were exposed from `processClass`
   * (`spec.exposeInputs(processClass, { namespace })`), ready to launch it with.
   */
  exposedInputs(processClass: SpecProvider, options: ExposedOptions = {}): PortValues {
    return this.spec().extractExposedInputs(this.inputs, processClass, options.namespace);
  }

  /**
   * The outputs of a child of `processClass` that this work chain exposes
   * (`spec.exposeOutputs(processClass, { namespace })`), placed under the
   * namespace: ready for {@link WorkChain.outMany}.
   */
  exposedOutputs(childOutputs: PortValues, processClass: SpecProvider, options: ExposedOptions = {}): PortValues {
    return this.spec().extractExposedOutputs(childOutputs, processClass, options.namespace);
  }

  /** Emits each top-level entry of `values` as an output (see {@link Process.out}). */
  outMany(values: PortValues): void {
    for (const name of Object.keys(values)) this.out(name, values[name]);
  }

  // ------------------------------------------------------------------ plain state and persistence

  /**
   * The work chain's own state as plain data: its context (the live object),
   * its position in the outline and what it waits for (copies; children are
   * named by pid, live promises and processes are not part of it). See
   * {@link WorkChain.save} for a whole checkpoint.
   */
  saveWorkChainState(): WorkChainState {
    return {
      ctx: this._ctx as WorkChainContext,
      stepper: positionPath(this._position),
      awaiting: (this._awaiting ?? []).map((record) => ({ ...record })),
    };
  }

  /**
   * Takes over a saved {@link WorkChainState}: the context, the position and
   * the awaitables (a child among them is settled again with
   * {@link WorkChain.reattachChild}).
   *
   * @throws TypeError when the position is not one of this class's outline
   */
  loadWorkChainState(state: WorkChainState): void {
    if (!isValidPath(this._outline.root, state.stepper)) {
      throw new TypeError(`${this.getName()}: [${state.stepper.join(', ')}] is not a position in its outline`);
    }
    this.takeOver(state.ctx as C, state.stepper, state.awaiting.map((record) => ({ ...record })), undefined);
  }

  /**
   * Re-attaches a (restored) child process to the awaitable that names its pid,
   * so that its outcome settles it. Returns whether one did.
   */
  reattachChild(child: AnyProcess): boolean {
    const record = this.pendingChildRecord(String(child.pid));
    if (record === undefined) return false;
    this.adoptChild(child);
    this.attachOutcome(record, child.future(), child);
    return true;
  }

  /**
   * Adds the work chain's state to a checkpoint (see `Process.save`): `ctx`
   * (plain data), `stepper` (the position in the outline), `awaiting` (the
   * awaitables: children by pid, settled values) and `awaitFailure` (an
   * awaitable's failure not acted on yet). Saved inside a step, the chain is
   * at that step, which a recreated chain runs again (with the context as it
   * was when saved, and without the awaitables the step registered before the
   * save). Must call `super.saveInstanceState(out, context)`.
   *
   * @throws PersistenceError when the chain waits for a promise that has not
   *   settled (a promise cannot be persisted); the error names its context key
   */
  protected override saveInstanceState(out: SavedState, context: LoadSaveContext): void {
    super.saveInstanceState(out, context);
    out.ctx = this._ctx;
    out.stepper = positionPath(this._position);
    const pausedChildren = this.pausedChildPids();
    if (pausedChildren.length > 0) out.pausedChildren = pausedChildren;
    // Inside a step, the awaitables registered so far are registered again when the step reruns.
    if (this._inStep) return;
    const awaiting = this._awaiting;
    if (awaiting !== undefined) {
      for (const record of awaiting) {
        if (record.done) continue;
        if (record.kind === 'promise') {
          throw new PersistenceError(
            `Cannot save ${this.getName()}<${String(this.pid)}>: it is waiting for the promise put into the context ` +
              `as '${record.key}', and a promise cannot be persisted (await child processes, which are saved by pid, ` +
              'or save the work chain after the promise has settled)',
          );
        }
        const child = recordChildren.get(record);
        if (child !== undefined) rememberLiveChild(child);
      }
      out.awaiting = awaiting.map((record) => ({ ...record }));
    }
    if (this._failure !== undefined) out.awaitFailure = saveAwaitableFailure(this._failure);
  }

  /**
   * Takes over the work chain's state from a checkpoint (see
   * `Process.recreateFromSavedState`; no creation hook runs). A child the chain
   * was waiting for is re-attached by pid: through the load context's
   * `awaitChild` {@link ChildResolver} if it knows the child, else directly if
   * it is a live process of this Node process. Must call
   * `super.loadInstanceState(saved, context)`.
   *
   * @throws PersistenceError when the saved state is malformed, or names a
   *   child that can be found neither way (the error names their pids)
   */
  protected override loadInstanceState(saved: SavedState, context: LoadSaveContext): void {
    super.loadInstanceState(saved, context);
    const cls = this.constructor as typeof WorkChain;
    const outline = compiledOutlines.get(cls.spec());
    if (outline === undefined) {
      throw new OutlineError(`${cls.name} has no outline: declare one with spec.outline(...) in its static define()`);
    }
    this._outline = outline;
    const fields = readWorkChainFields(saved, this.getName());
    if (!isValidPath(outline.root, fields.stepper)) {
      throw new PersistenceError(
        `Cannot load the work chain ${this.getName()}: its saved 'stepper' [${fields.stepper.join(', ')}] ` +
          'is not a position in its outline',
      );
    }
    const failure = fields.awaitFailure === undefined ? undefined : loadAwaitableFailure(fields.awaitFailure);
    this.takeOver(fields.ctx as C, fields.stepper, fields.awaiting, failure);
    // In onCreate's order, so that created and loaded chains share a hidden class.
    this._children = undefined;
    this._remoteChildren = undefined;
    this._pausedChildren = undefined;
    this._inStep = false;
    if (!this.hasTerminated()) this.reattachSavedChildren(context, fields.pausedChildren);
  }

  /** The pids of the children this chain paused (and will play) that have not ended. */
  private pausedChildPids(): (string | number)[] {
    const paused = this._pausedChildren;
    if (paused === undefined) return [];
    const pids: (string | number)[] = [];
    for (const child of paused) {
      if (child instanceof Process ? !child.hasTerminated() : this._remoteChildren?.includes(child) === true) {
        pids.push(child.pid);
      }
    }
    return pids;
  }

  private takeOver(ctx: C, stepper: readonly number[], awaiting: AwaitableRecord[], failure: Error | undefined): void {
    this._ctx = ctx;
    this._position = createPosition(this._outline.maxDepth, stepper);
    this._awaiting = awaiting.length === 0 ? undefined : awaiting;
    this._pending = awaiting.filter((record) => !record.done).length;
    this._failure = failure;
  }

  /**
   * After loading: settles the pending children's awaitables with the outcomes
   * the load context's resolver gives, or from the live children; remembers
   * the children it had paused (`pausedChildren`, by pid), to play them with it.
   */
  private reattachSavedChildren(context: LoadSaveContext, pausedChildren: readonly (string | number)[] | undefined): void {
    const pending = this._awaiting?.filter((record) => record.kind === 'process' && !record.done);
    if (pending !== undefined && pending.length > 0) {
      const pausedPids = new Set((pausedChildren ?? []).map(String));
      const resolver = context.get(CHILD_RESOLVER_KEY) as ChildResolver | undefined;
      if (resolver !== undefined && typeof resolver !== 'function') {
        throw new PersistenceError(`The load context's '${CHILD_RESOLVER_KEY}' is not a function (a ChildResolver)`);
      }
      const sources = pending.map((record) => this.findChild(resolver, record));
      const unreachable = sources.filter((source) => source.outcome === undefined);
      if (unreachable.length > 0) {
        const names = unreachable.map(({ record }) => `'${record.key}' (pid ${String(record.pid)})`).join(', ');
        throw new PersistenceError(
          `Cannot load ${this.getName()}<${String(this.pid)}>: it waits for the child process(es) ${names}, which ` +
            `are not live in this Node process` +
            (resolver === undefined
              ? `; give the load context an '${CHILD_RESOLVER_KEY}' ChildResolver (e.g. from the controllers package) to follow them`
              : ` and which its '${CHILD_RESOLVER_KEY}' resolver does not know`),
        );
      }
      for (const { record, outcome, live, handle } of sources) {
        if (live !== undefined) this.adoptChild(live);
        const remote = handle === undefined ? undefined : { pid: String(record.pid), handle };
        if (remote !== undefined) (this._remoteChildren ??= []).push(remote);
        this.attachOutcome(record, outcome!, live, remote);
        const controlled = live ?? remote;
        if (controlled !== undefined && pausedPids.has(String(record.pid))) (this._pausedChildren ??= []).push(controlled);
      }
    }
    // Everything it waited for settled before it was saved: resume, as the saved chain was about to.
    if (
      this.state === ProcessState.WAITING &&
      (this._failure !== undefined || (this._awaiting !== undefined && this._pending === 0))
    ) {
      WorkChain.resumeSoon(this);
    }
  }

  /** Finds a child the reloaded chain waits for: through the resolver, else among the live children. */
  private findChild(resolver: ChildResolver | undefined, record: AwaitableRecord): ChildSource {
    const found = resolver === undefined ? undefined : this.resolveChild(resolver, record);
    if (found !== undefined) return { record, ...found };
    const live = findLiveChild(String(record.pid));
    return { record, outcome: live?.future(), live, handle: undefined };
  }

  /**
   * Asks the resolver for a child: its outcome (a promise), a handle on it, a
   * live process, or `undefined` when it does not know the child.
   */
  private resolveChild(
    resolver: ChildResolver,
    record: AwaitableRecord,
  ): Omit<ChildSource, 'record'> | undefined {
    const about = `for the child awaited as '${record.key}' (pid ${String(record.pid)})`;
    let found: unknown;
    let outcome: unknown;
    try {
      found = resolver(String(record.pid), { parent: this, key: record.key });
      if (found === undefined) return undefined;
      if (found instanceof Process) return { outcome: found.future(), live: found as AnyProcess, handle: undefined };
      if (isThenable(found)) return { outcome: found, live: undefined, handle: undefined };
      outcome = isChildHandle(found) ? found.future() : undefined;
    } catch (error) {
      throw new PersistenceError(
        `Cannot load ${this.getName()}<${String(this.pid)}>: the '${CHILD_RESOLVER_KEY}' resolver failed ${about}`,
        { cause: error },
      );
    }
    if (isThenable(outcome)) return { outcome, live: undefined, handle: found as ChildHandle };
    throw new PersistenceError(
      `Cannot load ${this.getName()}<${String(this.pid)}>: the '${CHILD_RESOLVER_KEY}' resolver returned ` +
        `${describeValue(found)} ${about}, not a promise, a ChildHandle whose future() gives a promise, or undefined`,
    );
  }

  private pendingChildRecord(pid: string): AwaitableRecord | undefined {
    return this._awaiting?.find((r) => r.kind === 'process' && !r.done && String(r.pid) === pid);
  }

  /**
   * Settles `record` with the outcome of a child (a live one, or one found by a
   * resolver); a child followed through a handle is let go of when it ends.
   */
  private attachOutcome(
    record: AwaitableRecord,
    outcome: PromiseLike<unknown>,
    child: AnyProcess | undefined,
    remote?: RemoteChild,
  ): void {
    if (child !== undefined) recordChildren.set(record, child);
    outcome.then(
      (value) => {
        this.forgetRemote(remote);
        this.awaitableSettled(record, child, value, false);
      },
      (error: unknown) => {
        this.forgetRemote(remote);
        this.awaitableSettled(record, child, error, true);
      },
    );
  }

  private forgetRemote(remote: RemoteChild | undefined): void {
    const children = this._remoteChildren;
    if (remote === undefined || children === undefined) return;
    const index = children.indexOf(remote);
    if (index >= 0) children.splice(index, 1);
  }
}
