import { describe, expect, it } from 'vitest';
import { EventError } from './errors.js';
import { event } from './event.js';
import { State } from './state.js';
import { StateMachine } from './state-machine.js';

type Label = 'idle' | 'busy' | 'done';

class Idle extends State<Label> {
  static override LABEL = 'idle';
  static override ALLOWED = new Set(['busy', 'done']);
}
class Busy extends State<Label> {
  static override LABEL = 'busy';
  static override ALLOWED = new Set(['idle', 'done']);
}
class Done extends State<Label> {
  static override LABEL = 'done';
}

class Worker extends StateMachine<Label> {
  static override STATES = [Idle, Busy, Done];

  start = event({ from: ['idle'], to: ['busy'] })(function start(this: Worker, target: Label = 'busy'): void {
    if (target !== this.state) this.transitionTo(target);
  });

  refuse = event({ to: ['busy'] })(function refuse(this: Worker): false {
    return false;
  });

  later = event({ to: ['busy'] })(function later(this: Worker): Promise<void> {
    return Promise.resolve();
  });
}

describe('event()', () => {
  it('runs the method when the machine is in an allowed state and ends in a target state', () => {
    const w = new Worker();
    w.start();
    expect(w.state).toBe('busy');
  });

  it('throws EventError when fired from a state not in `from`', () => {
    const w = new Worker();
    w.start();
    let error: unknown;
    try {
      w.start();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventError);
    expect((error as EventError).event).toBe('start');
    expect((error as Error).message).toBe('Event start invalid in state busy');
  });

  it('throws when the machine did not transition', () => {
    const w = new Worker();
    expect(() => w.start('idle')).toThrow('Machine did not transition');
  });

  it('throws when the machine went to a state not in `to`', () => {
    const w = new Worker();
    expect(() => w.start('done')).toThrow('Event produced invalid state transition from idle to done');
  });

  it('skips the target check when the method returns false or a promise', async () => {
    const w = new Worker();
    expect(w.refuse()).toBe(false);
    await expect(w.later()).resolves.toBeUndefined();
  });

  it('takes the event name from a decorator context', () => {
    const wrapped = event({ from: ['busy'] })(function anonymousBody(this: Worker) {}, { name: 'named' });
    expect(() => wrapped.call(new Worker())).toThrow('Event named invalid in state idle');
  });
});
