import { describe, expect, it } from 'vitest';
import { InvalidStateError, SuperNotCalledError, TransitionFailed } from './errors.js';
import { State, StateEntryFailed } from './state.js';
import { StateEventHook, StateMachine, type StateEventCallback } from './state-machine.js';

type Label = 'a' | 'b' | 'c' | 'end';

const journal: string[] = [];

class A extends State<Label> {
  static override LABEL = 'a';
  static override ALLOWED = new Set(['b', 'c', 'end']);
  override enter(): void {
    super.enter();
    journal.push('enter a');
  }
  override exit(): void {
    super.exit();
    journal.push('exit a');
  }
}

class B extends State<Label> {
  static override LABEL = 'b';
  static override ALLOWED = new Set(['a', 'end']);
  constructor(
    machine: StateMachine<Label>,
    readonly value: number = 0,
  ) {
    super(machine);
  }
}

class C extends State<Label> {
  static override LABEL = 'c';
  static override ALLOWED = new Set(['a']);
}

class End extends State<Label> {
  static override LABEL = 'end';
}

class Machine extends StateMachine<Label> {
  static override STATES = [A, B, C, End];
  terminated = 0;
  protected override onTerminated(): void {
    super.onTerminated();
    this.terminated += 1;
  }
}

describe('StateMachine', () => {
  it('enters the first of STATES on construction', () => {
    journal.length = 0;
    const m = new Machine();
    expect(m.state).toBe('a');
    expect(m.currentState).toBeInstanceOf(A);
    expect(m.currentState.inState).toBe(true);
    expect(journal).toEqual(['enter a']);
    expect(Machine.initialStateLabel()).toBe('a');
    expect([...Machine.getStatesMap().keys()]).toEqual(['a', 'b', 'c', 'end']);
  });

  it('transitions by label, passing the arguments to the state constructor', () => {
    const m = new Machine();
    m.transitionTo('b', 42);
    expect(m.state).toBe('b');
    expect((m.currentState as B).value).toBe(42);
  });

  it('transitions to a state object built by hand', () => {
    const m = new Machine();
    const b = new B(m, 7);
    m.transitionTo(b);
    expect(m.currentState).toBe(b);
  });

  it('ignores a transition to undefined', () => {
    const m = new Machine();
    m.transitionTo(undefined);
    expect(m.state).toBe('a');
  });

  it('refuses a transition not in ALLOWED with a TransitionFailed naming both states', () => {
    const m = new Machine();
    m.transitionTo('c');
    let error: unknown;
    try {
      m.transitionTo('b');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionFailed);
    expect((error as TransitionFailed).message).toBe(
      "Transition from 'c' to 'b' failed: 'b' is not allowed from 'c' (allowed: a)",
    );
    expect((error as TransitionFailed).initialState).toBe('c');
    expect((error as TransitionFailed).finalState).toBe('b');
    expect(m.state).toBe('c');
  });

  it('treats a state with an empty ALLOWED as terminal and calls onTerminated', () => {
    const m = new Machine();
    expect(m.currentState.isTerminal()).toBe(false);
    m.transitionTo('end');
    expect(m.currentState.isTerminal()).toBe(true);
    expect(End.isTerminal()).toBe(true);
    expect(A.isTerminal()).toBe(false);
    expect(m.terminated).toBe(1);
    expect(() => m.transitionTo('a')).toThrow(
      "Transition from 'end' to 'a' failed: 'a' is not allowed from 'end' (allowed: none, it is terminal)",
    );
  });

  it('refuses to exit a terminal state', () => {
    const m = new Machine();
    m.transitionTo('end');
    expect(() => m.currentState.exit()).toThrow(InvalidStateError);
    expect(() => m.currentState.exit()).toThrow('Cannot exit a terminal state end');
  });

  it('rejects an unknown label', () => {
    const m = new Machine();
    expect(() => m.createState('zzz' as Label)).toThrow("'zzz' is not a valid state of Machine");
  });

  it('rejects duplicate labels and empty STATES', () => {
    class Dup extends StateMachine {
      static override STATES = [A, A];
    }
    class Empty extends StateMachine {}
    expect(() => new Dup()).toThrow("Duplicate state label 'a' in Dup");
    expect(() => new Empty()).toThrow('Empty defines no STATES');
  });

  it('prints as <Class> (label)', () => {
    expect(String(new Machine())).toBe('<Machine> (a)');
    expect(String(new Machine().currentState)).toBe('a');
  });

  it('can defer entering the initial state', () => {
    class Deferred extends StateMachine<Label> {
      static override STATES = [A, B];
      readonly ready: boolean;
      constructor() {
        super({ deferInitialState: true });
        this.ready = true;
        this.enterInitialState();
      }
    }
    const m = new Deferred();
    expect(m.state).toBe('a');
    expect(m.ready).toBe(true);
  });

  it('throws when the current state is read before the initial state is entered', () => {
    class Never extends StateMachine<Label> {
      static override STATES = [A];
      constructor() {
        super({ deferInitialState: true });
      }
    }
    const m = new Never();
    expect(m.state).toBeUndefined();
    expect(() => m.currentState).toThrow(InvalidStateError);
  });

  it('refuses to enter the initial state twice', () => {
    class Twice extends StateMachine<Label> {
      static override STATES = [A];
      again(): void {
        this.enterInitialState();
      }
    }
    expect(() => new Twice().again()).toThrow('The initial state was already entered');
  });
});

describe('state hooks', () => {
  it('marks states without enter/exit overrides as entered and left', () => {
    const m = new Machine();
    m.transitionTo('b', 1);
    const b = m.currentState;
    expect(b.inState).toBe(true);
    m.transitionTo('a');
    expect(b.inState).toBe(false);
    expect(m.currentState.inState).toBe(true);
  });

  it('calls overridden doEnter, doExit and isTerminal of a state', () => {
    const calls: string[] = [];
    class Plain extends State<'p' | 'q'> {
      static override LABEL = 'p';
      static override ALLOWED = new Set(['q']);
      override doExit(): void {
        calls.push('doExit p');
        super.doExit();
      }
    }
    class NeverEnds extends State<'p' | 'q'> {
      static override LABEL = 'q';
      override doEnter(): void {
        calls.push('doEnter q');
        super.doEnter();
      }
      override isTerminal(): boolean {
        calls.push('isTerminal q');
        return false;
      }
    }
    class M extends StateMachine<'p' | 'q'> {
      static override STATES = [Plain, NeverEnds];
      terminated = false;
      protected override onTerminated(): void {
        super.onTerminated();
        this.terminated = true;
      }
    }
    const m = new M();
    m.transitionTo('q');
    expect(calls).toEqual(['doExit p', 'doEnter q', 'isTerminal q']);
    expect(m.terminated).toBe(false);
    expect(m.currentState.inState).toBe(true);
  });
});

describe('super checks', () => {
  it('reports an enter override that forgets super, naming the hook and the class', () => {
    class Forgetful extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {}
    }
    class M extends StateMachine<Label> {
      static override STATES = [A, Forgetful];
    }
    const m = new M();
    let error: unknown;
    try {
      m.transitionTo('b');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionFailed);
    const cause = (error as TransitionFailed).cause;
    expect(cause).toBeInstanceOf(SuperNotCalledError);
    expect((cause as SuperNotCalledError).message).toBe(
      "Base 'enter' was not called from 'Forgetful': did you forget to call super.enter()?",
    );
    expect((error as Error).message).toContain("Base 'enter' was not called from 'Forgetful'");
  });

  it('reports an exit override that forgets super', () => {
    class ForgetExit extends State<Label> {
      static override LABEL = 'a';
      static override ALLOWED = new Set(['b']);
      override exit(): void {}
    }
    class M extends StateMachine<Label> {
      static override STATES = [ForgetExit, B];
    }
    expect(() => new M().transitionTo('b')).toThrow("Base 'exit' was not called from 'ForgetExit'");
  });

  it('reports an onTerminated override that forgets super', () => {
    class M extends StateMachine<Label> {
      static override STATES = [A, End];
      protected override onTerminated(): void {}
    }
    expect(() => new M().transitionTo('end')).toThrow("Base 'onTerminated' was not called from 'M'");
  });

  it('accepts an enter override that calls super after other work', () => {
    class Late extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        journal.push('late');
        super.enter();
      }
    }
    class M extends StateMachine<Label> {
      static override STATES = [A, Late];
    }
    const m = new M();
    m.transitionTo('b');
    expect(m.state).toBe('b');
  });
});

describe('StateEntryFailed', () => {
  class Redirect extends State<Label> {
    static override LABEL = 'b';
    static override ALLOWED = new Set(['a', 'end']);
    override enter(): void {
      super.enter();
      throw new StateEntryFailed('end');
    }
  }
  class M extends StateMachine<Label> {
    static override STATES = [A, Redirect, C, End];
  }

  it('redirects the machine to the state named by the error', () => {
    const m = new M();
    m.transitionTo('b');
    expect(m.state).toBe('end');
  });

  it('redirects to a state object with its arguments', () => {
    class ToB extends State<Label> {
      static override LABEL = 'c';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        super.enter();
        throw new StateEntryFailed('b', 99);
      }
    }
    class M2 extends StateMachine<Label> {
      static override STATES = [A, B, ToB];
    }
    const m = new M2();
    m.transitionTo('c');
    expect(m.state).toBe('b');
    expect((m.currentState as B).value).toBe(99);

    const m3 = new M2();
    const target = new B(m3, 5);
    class ToInstance extends State<Label> {
      static override LABEL = 'c';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        super.enter();
        throw new StateEntryFailed(target);
      }
    }
    class M4 extends StateMachine<Label> {
      static override STATES = [A, B, ToInstance];
    }
    const m4 = new M4();
    m4.transitionTo('c');
    expect(m4.currentState).toBeInstanceOf(B);
  });

  it('checks that the redirect target is allowed from the current state', () => {
    class BadRedirect extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        super.enter();
        throw new StateEntryFailed('c');
      }
    }
    class Start extends State<Label> {
      static override LABEL = 'a';
      static override ALLOWED = new Set(['b']);
    }
    class M6 extends StateMachine<Label> {
      static override STATES = [Start, BadRedirect, C];
    }
    expect(() => new M6().transitionTo('b')).toThrow("Transition from 'a' to 'c' failed: 'c' is not allowed from 'a'");
  });
});

describe('state event callbacks', () => {
  it('fires EXITING with the next state, ENTERING with the new state, ENTERED with the previous one', () => {
    const m = new Machine();
    const first = m.currentState;
    const seen: [string, string | undefined, string][] = [];
    const record: StateEventCallback<Label> = (machine, hook, state) => {
      seen.push([hook, state?.label, machine.state]);
    };
    m.addStateEventCallback(StateEventHook.EXITING, record);
    m.addStateEventCallback(StateEventHook.ENTERING, record);
    m.addStateEventCallback(StateEventHook.ENTERED, record);
    m.transitionTo('b');
    expect(seen).toEqual([
      ['exiting', 'b', 'a'],
      ['entering', 'b', 'a'],
      ['entered', 'a', 'b'],
    ]);
    expect(first.inState).toBe(false);
  });

  it('removes callbacks', () => {
    const m = new Machine();
    const seen: string[] = [];
    const cb: StateEventCallback<Label> = (_m, hook) => seen.push(hook);
    m.addStateEventCallback(StateEventHook.ENTERED, cb);
    expect(m.removeStateEventCallback(StateEventHook.ENTERED, cb)).toBe(true);
    expect(m.removeStateEventCallback(StateEventHook.ENTERED, cb)).toBe(false);
    expect(m.removeStateEventCallback(StateEventHook.EXITING, cb)).toBe(false);
    m.transitionTo('b');
    expect(seen).toEqual([]);
  });

  it('calls the onEntering/onEntered/onExiting template methods around the callbacks', () => {
    const seen: string[] = [];
    class Observed extends StateMachine<Label> {
      static override STATES = [A, B];
      protected override onEntering(state: State<Label>): void {
        seen.push(`entering ${state.label} (current ${String(this.state)})`);
      }
      protected override onEntered(from: State<Label> | undefined): void {
        seen.push(`entered ${this.state} from ${String(from?.label)}`);
      }
      protected override onExiting(next: State<Label>): void {
        seen.push(`exiting ${this.state} to ${next.label}`);
      }
    }
    const m = new Observed();
    m.transitionTo('b');
    expect(seen).toEqual([
      'entering a (current undefined)',
      'entered a from undefined',
      'exiting a to b',
      'entering b (current a)',
      'entered b from a',
    ]);
  });
});

describe('transition failures', () => {
  it('detects a transition started while another is in progress', () => {
    const m = new Machine();
    let inner: unknown;
    m.addStateEventCallback(StateEventHook.ENTERING, (machine) => {
      expect(machine.isTransitioning).toBe(true);
      try {
        machine.transitionTo('a');
      } catch (e) {
        inner = e;
        throw e;
      }
    });
    expect(() => m.transitionTo('b')).toThrow(TransitionFailed);
    expect(inner).toBeInstanceOf(TransitionFailed);
    expect((inner as Error).message).toBe("Transition from 'a' to 'a' failed: a transition is already in progress");
    expect(m.isTransitioning).toBe(false);
  });

  it('wraps an error thrown while entering in TransitionFailed, keeping the cause', () => {
    const boom = new RangeError('boom');
    const m = new Machine();
    m.addStateEventCallback(StateEventHook.ENTERING, () => {
      throw boom;
    });
    let error: unknown;
    try {
      m.transitionTo('b');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionFailed);
    expect((error as TransitionFailed).cause).toBe(boom);
    expect((error as Error).message).toBe("Transition from 'a' to 'b' failed: RangeError: boom");
  });

  it('lets transitionFailed move to another state without exiting the failed one again', () => {
    const calls: string[] = [];
    class Recovering extends StateMachine<Label> {
      static override STATES = [A, B, C, End];
      protected override transitionFailed(initial: Label | undefined, final: Label, error: unknown): void {
        calls.push(`${String(initial)}->${final}: ${(error as Error).message}`);
        this.transitionTo('end');
      }
    }
    const m = new Recovering();
    const failOnce = (): void => {
      m.removeStateEventCallback(StateEventHook.ENTERING, failOnce);
      throw new Error('cannot enter');
    };
    m.addStateEventCallback(StateEventHook.ENTERING, failOnce);
    journal.length = 0;
    m.transitionTo('b');
    expect(m.state).toBe('end');
    expect(calls).toEqual(['a->b: cannot enter']);
    expect(journal).toEqual(['exit a']);
  });

  it('rethrows when the recovery transition fails as well', () => {
    class Stubborn extends StateMachine<Label> {
      static override STATES = [A, B, End];
      protected override transitionFailed(): void {
        this.transitionTo('end');
      }
    }
    const m = new Stubborn();
    m.addStateEventCallback(StateEventHook.ENTERING, () => {
      throw new Error('always');
    });
    expect(() => m.transitionTo('b')).toThrow('always');
    expect(m.isTransitioning).toBe(false);
  });
});

describe('restoreState', () => {
  /** A machine that exposes the protected restoreState, as a process restoring a checkpoint does. */
  class Restorable extends Machine {
    restore(state: State<Label>): void {
      this.restoreState(state);
    }
  }

  it('sets the current state without running hooks or callbacks', () => {
    const m = new Restorable();
    const events: string[] = [];
    for (const hook of [StateEventHook.ENTERING, StateEventHook.ENTERED, StateEventHook.EXITING]) {
      m.addStateEventCallback(hook, () => events.push(hook));
    }
    const previous = m.currentState;
    journal.length = 0;
    const b = new B(m, 3);
    m.restore(b);
    expect(m.state).toBe('b');
    expect(m.currentState).toBe(b);
    expect(b.inState).toBe(true);
    expect(previous.inState).toBe(false);
    expect(journal).toEqual([]);
    expect(events).toEqual([]);
  });

  it('skips the ALLOWED check and onTerminated, and transitions go on from the restored state', () => {
    const m = new Restorable();
    m.restore(new C(m));
    expect(m.state).toBe('c');
    journal.length = 0;
    m.transitionTo('a');
    expect(journal).toEqual(['enter a']);
    m.restore(new End(m));
    expect(m.terminated).toBe(0);
    expect(() => m.transitionTo('a')).toThrow(TransitionFailed);
  });

  it('restores into a machine whose initial state was deferred', () => {
    class Deferred extends Restorable {
      constructor() {
        super({ deferInitialState: true });
      }
    }
    journal.length = 0;
    const m = new Deferred();
    m.restore(new B(m));
    expect(m.state).toBe('b');
    expect(journal).toEqual([]);
  });

  it('refuses a state of another machine or of a class not in STATES', () => {
    const m = new Restorable();
    const other = new Restorable();
    expect(() => m.restore(new B(other))).toThrow(InvalidStateError);
    class Stranger extends State<Label> {
      static override LABEL = 'b';
    }
    expect(() => m.restore(new Stranger(m))).toThrow("it is not one of Restorable's STATES");
    expect(m.state).toBe('a');
  });

  it('refuses to restore while a transition is under way', () => {
    const m = new Restorable();
    let error: unknown;
    m.addStateEventCallback(StateEventHook.ENTERING, () => {
      try {
        m.restore(new C(m));
      } catch (e) {
        error = e;
      }
    });
    m.transitionTo('b');
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(m.state).toBe('b');
  });
});

describe('super checks across machines', () => {
  it('reports an enter override that forgets super even when it drives another machine that calls its own', () => {
    const inner = new Machine();
    class Driving extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        inner.transitionTo('c');
      }
    }
    class M extends StateMachine<Label> {
      static override STATES = [A, Driving];
    }
    expect(() => new M().transitionTo('b')).toThrow("Base 'enter' was not called from 'Driving'");
    expect(inner.state).toBe('c');
  });

  it('does not blame an enter override that called super when a nested machine failed inside it', () => {
    class Failing extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        throw new Error('inner enter fails');
      }
    }
    class Inner extends StateMachine<Label> {
      static override STATES = [A, Failing];
    }
    const inner = new Inner();
    class Catching extends State<Label> {
      static override LABEL = 'b';
      static override ALLOWED = new Set(['a']);
      override enter(): void {
        super.enter();
        expect(() => inner.transitionTo('b')).toThrow('inner enter fails');
      }
    }
    class M extends StateMachine<Label> {
      static override STATES = [A, Catching];
    }
    const m = new M();
    m.transitionTo('b');
    expect(m.state).toBe('b');
  });
});
