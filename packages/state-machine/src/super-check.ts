import { SuperNotCalledError } from './errors.js';

/**
 * The property a base hook sets to say "I was reached". Classes whose hooks are
 * called through {@link callWithSuperCheck} should declare it (`[SUPER_CALLED] = false`)
 * so that every instance has the same shape.
 */
export const SUPER_CALLED: unique symbol = Symbol('plumpy.superCalled');

/** An object whose hooks can be checked with {@link callWithSuperCheck}. */
export interface SuperCheckable {
  [SUPER_CALLED]: boolean;
}

/**
 * Marks, from inside a base hook, that the base implementation was reached.
 * Every hook meant to be called through {@link callWithSuperCheck} starts with this call.
 */
export function markSuperCalled(target: SuperCheckable): void {
  target[SUPER_CALLED] = true;
}

/**
 * Starts a checked hook call: clears the flag and returns the enclosing call's
 * value, to hand to {@link finishSuperCheck}. Together they cost two property
 * writes and allocate nothing:
 *
 * ```ts
 * const enclosing = startSuperCheck(this);
 * this.onCreate();
 * finishSuperCheck(this, enclosing, 'onCreate');
 * ```
 */
export function startSuperCheck(target: SuperCheckable): boolean {
  const enclosing = target[SUPER_CALLED];
  target[SUPER_CALLED] = false;
  return enclosing;
}

/**
 * Ends a checked hook call started with {@link startSuperCheck}: restores the
 * enclosing flag and throws {@link SuperNotCalledError} (naming `hook` and the
 * target's class) if the base hook was not reached. If the hook threw, skip this
 * call and let the error propagate.
 */
export function finishSuperCheck(target: SuperCheckable, enclosing: boolean, hook: string): void {
  const reached = target[SUPER_CALLED];
  target[SUPER_CALLED] = enclosing;
  if (!reached) throw new SuperNotCalledError(hook, target.constructor.name);
}

/**
 * Calls `method` on `target` with `args` and checks that the override chain
 * reached the base implementation (which calls {@link markSuperCalled}); throws
 * {@link SuperNotCalledError} naming `hook` and the class otherwise.
 * Nested checked calls (a hook that calls another checked hook) are supported: the
 * flag of the enclosing call is saved and restored.
 */
export function callWithSuperCheck<T extends SuperCheckable, A extends unknown[]>(
  target: T,
  hook: string,
  method: (this: T, ...args: A) => unknown,
  ...args: NoInfer<A>
): void {
  const enclosing = startSuperCheck(target);
  try {
    method.apply(target, args);
  } catch (error) {
    target[SUPER_CALLED] = enclosing;
    throw error;
  }
  finishSuperCheck(target, enclosing, hook);
}
