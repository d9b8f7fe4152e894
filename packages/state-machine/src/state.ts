import { InvalidStateError, SuperNotCalledError } from './errors.js';
import type { StateMachine } from './state-machine.js';
import { superMarks } from './super-check.js';

/**
 * The static side of a {@link State} subclass: how a machine creates and
 * recognises its states.
 */
export interface StateClass<Label extends string = string> {
  /** Constructs the state; the first argument is the machine. */
  new (machine: never, ...args: never[]): State<Label>;
  /** The state's label. */
  readonly LABEL: string;
  /** The labels of the states that may be entered from this one; empty for a terminal state. */
  readonly ALLOWED: ReadonlySet<string>;
  /** Whether the state is terminal (nothing is allowed after it). */
  isTerminal(): boolean;
}

/**
 * One state of a {@link StateMachine}. Subclasses set `static LABEL` and
 * `static ALLOWED` (the labels reachable from it; empty means terminal), and may
 * override {@link State.enter} / {@link State.exit}, which must call `super`.
 *
 * @typeParam Label - the machine's state labels.
 * @typeParam M - the machine type, for a typed {@link State.machine}.
 */
export class State<Label extends string = string, M extends StateMachine<Label> = StateMachine<Label>> {
  /** The state's label; every subclass sets its own. */
  static LABEL = '';
  /** Labels of the states that may follow this one. Empty: terminal. */
  static ALLOWED: ReadonlySet<string> = new Set<string>();

  /** Whether this state class is terminal. */
  static isTerminal(): boolean {
    return this.ALLOWED.size === 0;
  }

  // The fields are `declare`d and assigned in the constructor (no class field
  // initialiser: one call less per state object).
  /** The machine this state belongs to. */
  declare readonly machine: M;
  /** True between a successful {@link State.enter} and {@link State.exit}. */
  declare inState: boolean;

  /** The state's label (its class's `LABEL`). */
  declare readonly label: Label;

  constructor(machine: M) {
    this.machine = machine;
    this.inState = false;
    this.label = (new.target as unknown as StateClass<Label>).LABEL as Label;
  }

  /** The labels allowed after this state. */
  get allowed(): ReadonlySet<string> {
    return (this.constructor as StateClass<Label>).ALLOWED;
  }

  /** Whether this state is terminal. */
  isTerminal(): boolean {
    return (this.constructor as StateClass<Label>).ALLOWED.size === 0;
  }

  /**
   * Called when the machine enters this state. Overrides must call `super.enter()`.
   * Throwing {@link StateEntryFailed} redirects the machine to another state.
   */
  enter(): void {
    superMarks.count = (superMarks.count + 1) & 0x3fffffff; // markSuperCalled, inlined
  }

  /** Called when the machine leaves this state. Overrides must call `super.exit()`. */
  exit(): void {
    superMarks.count = (superMarks.count + 1) & 0x3fffffff; // markSuperCalled, inlined
    if (this.isTerminal()) throw new InvalidStateError(`Cannot exit a terminal state ${this.label}`);
  }

  /** Creates a state of this state's machine (see {@link StateMachine.createState}). */
  createState(label: Label, ...args: unknown[]): State<Label> {
    return this.machine.createState(label, ...args);
  }

  /** Enters the state, checking that {@link State.enter} overrides call `super`. */
  doEnter(): void {
    // startSuperCheck / finishSuperCheck, inlined (this runs on every transition).
    const token = superMarks.count;
    this.enter();
    if (superMarks.count === token) throw new SuperNotCalledError('enter', this.constructor.name);
    superMarks.count = token;
    this.inState = true;
  }

  /** Exits the state, checking that {@link State.exit} overrides call `super`. */
  doExit(): void {
    const token = superMarks.count;
    this.exit();
    if (superMarks.count === token) throw new SuperNotCalledError('exit', this.constructor.name);
    superMarks.count = token;
    this.inState = false;
  }

  /** The label. */
  toString(): string {
    return this.label;
  }
}

/**
 * Thrown from {@link State.enter} to say "do not enter me, go to this state
 * instead": the machine then enters `state` (a state object, or a label plus
 * constructor arguments). plumpy's `StateEntryFailed`.
 */
export class StateEntryFailed extends Error {
  /** The state to go to instead (an instance, or a label). */
  readonly state: State | string;
  /** Constructor arguments when {@link StateEntryFailed.state} is a label. */
  readonly args: readonly unknown[];

  constructor(state: State | string, ...args: unknown[]) {
    super(`failed to enter state; redirecting to '${typeof state === 'string' ? state : state.label}'`);
    this.name = 'StateEntryFailed';
    this.state = state;
    this.args = args;
  }
}
