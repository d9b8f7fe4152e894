import { InvalidStateError, SuperNotCalledError, TransitionFailed } from './errors.js';
import { StateEntryFailed, type State, type StateClass } from './state.js';
import { markSuperCalled, superMarks } from './super-check.js';

/**
 * Points of a transition at which callbacks registered with
 * {@link StateMachine.addStateEventCallback} run (plumpy's `StateEventHook`).
 */
export const StateEventHook = {
  /** Before a state is entered; the callback gets the state being entered. */
  ENTERING: 'entering',
  /** After a state was entered; the callback gets the state that was left (`undefined` for the first). */
  ENTERED: 'entered',
  /** Before the current state is exited; the callback gets the state that comes next. */
  EXITING: 'exiting',
} as const;

/** One of the {@link StateEventHook} values. */
export type StateEventHook = (typeof StateEventHook)[keyof typeof StateEventHook];

/** A callback run at a {@link StateEventHook}. */
export type StateEventCallback<Label extends string = string> = (
  machine: StateMachine<Label>,
  hook: StateEventHook,
  state: State<Label> | undefined,
) => void;

/** Options of the {@link StateMachine} constructor. */
export interface StateMachineOptions {
  /**
   * Do not enter the initial state in the constructor; the subclass calls
   * {@link StateMachine.enterInitialState} itself once its own fields are set up.
   */
  deferInitialState?: boolean;
}

interface StatesTable {
  readonly initial: StateClass;
  readonly byLabel: ReadonlyMap<string, StateClass>;
}

const tables = new WeakMap<object, StatesTable>();

/** Values of the machine's transition phase (one small integer rather than two booleans). */
const IDLE = 0;
/** A transition is under way. */
const TRANSITIONING = 1;
// 2 (FAILING): {@link StateMachine.transitionFailed} is handling a failed
// transition. transitionTo writes the three values as literals (see there).

/**
 * A finite state machine. Subclasses list their state classes in `static STATES`;
 * the first is entered on construction. Transitions go through
 * {@link StateMachine.transitionTo}, by label or with a state object.
 *
 * @typeParam Label - the union of the state labels.
 */
export class StateMachine<Label extends string = string> {
  /** The state classes of this machine; the first is the initial state. */
  static STATES: readonly StateClass[] = [];

  /** The label → class table of this machine class (built once per class). */
  static getStatesMap(): ReadonlyMap<string, StateClass> {
    return statesTable(this).byLabel;
  }

  /** The label of the initial state (the first of `STATES`). */
  static initialStateLabel(): string {
    return statesTable(this).initial.LABEL;
  }

  // The fields are `declare`d and assigned in the constructor: a class field
  // initialiser is an extra function call per construction, which counts before
  // the JIT has compiled the constructor.
  declare private _state: State<Label> | undefined;
  /** IDLE, TRANSITIONING, or FAILING (inside transitionFailed, where a new transition may start). */
  declare private _phase: number;
  // Typed loosely so that the machine stays covariant in Label.
  declare private _eventCallbacks: Map<StateEventHook, ((...args: never[]) => void)[]> | undefined;

  constructor(options?: StateMachineOptions) {
    this._state = undefined;
    this._phase = IDLE;
    this._eventCallbacks = undefined;
    if (options?.deferInitialState !== true) this.enterInitialState();
  }

  /** The label of the current state (`undefined` only before the initial state is entered). */
  get state(): Label {
    return this._state?.label as Label;
  }

  /** The current state object. */
  get currentState(): State<Label> {
    if (this._state === undefined) throw new InvalidStateError('The machine has not entered its initial state yet');
    return this._state;
  }

  /** Whether a transition is under way. */
  get isTransitioning(): boolean {
    return this._phase === TRANSITIONING;
  }

  /** Enters the initial state (done by the constructor unless `deferInitialState` was given). */
  protected enterInitialState(): void {
    if (this._state !== undefined) throw new InvalidStateError('The initial state was already entered');
    this.transitionTo(this.createInitialState());
  }

  /**
   * Makes `state` the current state without a transition: no exit or enter
   * hooks run, no {@link StateEventHook} callbacks fire and no `ALLOWED` check
   * is made; the state is marked as entered (`inState`) and the one it replaces
   * (if any) as left. Meant for recreating a machine from a checkpoint, where
   * the state was entered (and its hooks ran) before the machine was saved.
   *
   * @throws InvalidStateError if `state` belongs to another machine, is not of
   *   one of this machine's state classes, or a transition is under way.
   */
  protected restoreState(state: State<Label>): void {
    if (this._phase !== IDLE) throw new InvalidStateError('Cannot restore a state while a transition is under way');
    if (state.machine !== (this as StateMachine<string>)) {
      throw new InvalidStateError(`Cannot restore the state '${state.label}': it belongs to another machine`);
    }
    if (statesTable(this.constructor).byLabel.get(state.label) !== state.constructor) {
      throw new InvalidStateError(`Cannot restore the state '${state.label}': it is not one of ${this.constructor.name}'s STATES`);
    }
    const previous = this._state;
    if (previous !== undefined) previous.inState = false;
    this._state = state;
    state.inState = true;
  }

  /** Creates the initial state object; override to pass constructor arguments. */
  protected createInitialState(): State<Label> {
    return this.createState(statesTable(this.constructor).initial.LABEL as Label);
  }

  /**
   * Creates the state `label` of this machine: `new StateClass(this, ...args)`.
   * Throws {@link InvalidStateError} for an unknown label.
   */
  createState(label: Label, ...args: unknown[]): State<Label> {
    const cls = statesTable(this.constructor).byLabel.get(label);
    if (cls === undefined) throw new InvalidStateError(`'${label}' is not a valid state of ${this.constructor.name}`);
    return new (cls as unknown as new (machine: this, ...a: unknown[]) => State<Label>)(this, ...args);
  }

  /** Registers a callback for a {@link StateEventHook}. */
  addStateEventCallback(hook: StateEventHook, callback: StateEventCallback<Label>): void {
    this._eventCallbacks ??= new Map();
    const list = this._eventCallbacks.get(hook);
    if (list === undefined) this._eventCallbacks.set(hook, [callback]);
    else list.push(callback);
  }

  /** Removes a callback; returns whether it was registered. */
  removeStateEventCallback(hook: StateEventHook, callback: StateEventCallback<Label>): boolean {
    const list = this._eventCallbacks?.get(hook);
    if (list === undefined) return false;
    const index = list.indexOf(callback);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Removes every state event callback. */
  protected clearStateEventCallbacks(): void {
    this._eventCallbacks = undefined;
  }

  /**
   * Moves to another state: exits the current one (its label must allow the new
   * one), enters the new one, and calls {@link StateMachine.onTerminated} if it is
   * terminal. `target` is a label (the state is created with `args`) or a state
   * object; `undefined` does nothing.
   *
   * A failure is handed to {@link StateMachine.transitionFailed}, which by default
   * throws {@link TransitionFailed}. Calling this while a transition is under way
   * (from a hook or callback) fails with {@link TransitionFailed}.
   */
  transitionTo(target: Label | State<Label> | undefined, ...args: unknown[]): void {
    if (target === undefined) return;
    const phase = this._phase;
    const current = this._state;
    if (phase === 1 /* TRANSITIONING */) {
      throw new TransitionFailed(current?.label, typeof target === 'string' ? target : target.label, {
        reason: 'a transition is already in progress',
      });
    }
    // The common path (exit, enter, terminal check) is written out here rather
    // than split into helpers: every transition of every process runs it, most
    // of them before the JIT has compiled it, where each call layer counts (and
    // the phases are literals, which cost less than module constants there).
    let next: State<Label> | undefined;
    this._phase = 1 /* TRANSITIONING */;
    try {
      next = typeof target === 'string' ? this.createState(target, ...args) : target;
      if (phase !== 2 /* FAILING */) {
        if (current === undefined) {
          this.checkAllowed(next);
        } else {
          if (!current.allowed.has(next.label)) this.checkAllowed(next);
          this.onExiting(next);
          if (this._eventCallbacks !== undefined) this.fireStateEvent(StateEventHook.EXITING, next);
          current.doExit();
        }
      }
      const last = this._state;
      try {
        this.onEntering(next);
        if (this._eventCallbacks !== undefined) this.fireStateEvent(StateEventHook.ENTERING, next);
        next.doEnter();
        this._state = next;
        if (this._eventCallbacks !== undefined) this.fireStateEvent(StateEventHook.ENTERED, last);
        this.onEntered(last);
      } catch (error) {
        if (!(error instanceof StateEntryFailed)) throw error;
        next =
          typeof error.state === 'string'
            ? this.createState(error.state as Label, ...error.args)
            : (error.state as State<Label>);
        this.checkAllowed(next);
        this.enterNextState(next);
      }
      if (next.isTerminal()) {
        // startSuperCheck / onTerminated / finishSuperCheck, inlined.
        const token = superMarks.count;
        this.onTerminated();
        if (superMarks.count === token) throw new SuperNotCalledError('onTerminated', this.constructor.name);
        superMarks.count = token;
      }
    } catch (error) {
      if (phase === 2 /* FAILING */) throw error;
      this._phase = 2 /* FAILING */;
      const finalLabel = next === undefined ? (target as Label) : next.label;
      this.transitionFailed(current?.label, finalLabel, error);
    } finally {
      this._phase = 0 /* IDLE */;
    }
  }

  /**
   * Called when a transition failed. The default throws `error` if it is a
   * {@link TransitionFailed}, else a {@link TransitionFailed} caused by it.
   * Overrides may instead move to another state (a process goes to EXCEPTED); that
   * transition skips exiting the state the failed transition left.
   */
  protected transitionFailed(initialState: Label | undefined, finalState: Label, error: unknown): void {
    if (error instanceof TransitionFailed) throw error;
    throw new TransitionFailed(initialState, finalState, { cause: error });
  }

  /** Called when a terminal state was entered. Overrides must call `super.onTerminated()`. */
  protected onTerminated(): void {
    markSuperCalled(this);
  }

  /** Called before `state` is entered (before the ENTERING callbacks). No `super` needed. */
  protected onEntering(_state: State<Label>): void {}

  /** Called after a state was entered, with the one left (after the ENTERED callbacks). No `super` needed. */
  protected onEntered(_from: State<Label> | undefined): void {}

  /** Called before the current state is exited, with the one that comes next. No `super` needed. */
  protected onExiting(_next: State<Label>): void {}

  /** `<ClassName> (label)`. */
  toString(): string {
    return `<${this.constructor.name}> (${String(this.state)})`;
  }

  private checkAllowed(next: State<Label>): void {
    const current = this._state;
    if (current === undefined) {
      const initial = statesTable(this.constructor).initial.LABEL;
      if (next.label !== initial) {
        throw new TransitionFailed(undefined, next.label, {
          reason: `'${next.label}' is not the initial state '${initial}'`,
        });
      }
    } else if (!current.allowed.has(next.label)) {
      const allowed = [...current.allowed].join(', ');
      throw new TransitionFailed(current.label, next.label, {
        reason: `'${next.label}' is not allowed from '${current.label}' (allowed: ${allowed === '' ? 'none, it is terminal' : allowed})`,
      });
    }
  }

  private enterNextState(next: State<Label>): void {
    const last = this._state;
    this.onEntering(next);
    if (this._eventCallbacks !== undefined) this.fireStateEvent(StateEventHook.ENTERING, next);
    next.doEnter();
    this._state = next;
    if (this._eventCallbacks !== undefined) this.fireStateEvent(StateEventHook.ENTERED, last);
    this.onEntered(last);
  }

  private fireStateEvent(hook: StateEventHook, state: State<Label> | undefined): void {
    const list = this._eventCallbacks?.get(hook);
    if (list === undefined) return;
    for (const callback of [...list]) (callback as StateEventCallback<Label>)(this, hook, state);
  }
}

function statesTable(cls: object): StatesTable {
  let table = tables.get(cls);
  if (table === undefined) {
    const states = (cls as typeof StateMachine).STATES;
    const initial = states[0];
    if (initial === undefined) throw new InvalidStateError(`${(cls as { name: string }).name} defines no STATES`);
    const byLabel = new Map<string, StateClass>();
    for (const stateClass of states) {
      if (byLabel.has(stateClass.LABEL)) {
        throw new InvalidStateError(`Duplicate state label '${stateClass.LABEL}' in ${(cls as { name: string }).name}`);
      }
      byLabel.set(stateClass.LABEL, stateClass);
    }
    table = { initial, byLabel };
    tables.set(cls, table);
  }
  return table;
}
