import { EventError } from './errors.js';
import type { StateMachine } from './state-machine.js';

/** Options of {@link event}: the labels an event may start from and must lead to. */
export interface EventOptions {
  /** Labels in which the event may be fired (default: any). */
  from?: readonly string[];
  /** Labels the machine must be in afterwards (default: any). */
  to?: readonly string[];
}

/** A method wrapped by {@link event}: called with `this` bound to the machine. */
export type EventMethod<M, A extends unknown[], R> = (this: M, ...args: A) => R;

/**
 * Wraps a machine method as an event (plumpy's `@event`): firing it in a state not
 * in `from` throws {@link EventError}; if it returns anything but `false` or a
 * promise, the machine must then be in a state of `to`, else {@link EventError}
 * ("Machine did not transition" / "Event produced invalid state transition ...").
 *
 * Works as a standard method decorator (`@event({ to: ['playing'] })`) or as a
 * plain wrapper: `play = event({ to: ['playing'] })(function play(this: CdPlayer) { ... })`.
 */
export function event(options: EventOptions = {}) {
  const from = options.from === undefined ? undefined : new Set(options.from);
  const to = options.to === undefined ? undefined : new Set(options.to);
  return function wrap<M extends StateMachine<string>, A extends unknown[], R>(
    method: EventMethod<M, A, R>,
    context?: { name: string | symbol },
  ): EventMethod<M, A, R> {
    const name = String(context?.name ?? method.name);
    return function fireEvent(this: M, ...args: A): R {
      const initial = this.state;
      if (from !== undefined && !from.has(initial)) {
        throw new EventError(name, `Event ${name} invalid in state ${initial}`);
      }
      const result = method.apply(this, args);
      if (to !== undefined && result !== false && !(result instanceof Promise) && !to.has(this.state)) {
        if (this.state === initial) throw new EventError(name, 'Machine did not transition');
        throw new EventError(name, `Event produced invalid state transition from ${initial} to ${this.state}`);
      }
      return result;
    };
  };
}
