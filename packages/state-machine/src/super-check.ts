import { SuperNotCalledError } from './errors.js';

/**
 * A value returned by {@link startSuperCheck}, to hand back to
 * {@link finishSuperCheck}.
 */
export type SuperCheckToken = number;

// How the check works. Hooks are synchronous, so one module-level counter is
// enough: base hooks bump it (markSuperCalled), and a checked call compares it
// before and after the hook. The counter is never cleared by startSuperCheck,
// so a nested checked call that throws (and is caught by the enclosing hook)
// cannot make the enclosing check fail: at worst it hides a forgotten `super`
// in that enclosing hook. finishSuperCheck puts the counter back to the
// token, so that the marks of a nested checked call do not count for the
// enclosing one. Nothing is written on the objects themselves (no per-instance
// field, no megamorphic property store).
//
// The counter lives in an object so that the state machine's hot paths (in
// other modules of this package) can inline the check without a call; it is
// not exported from the package.
/** @internal The module-level mark counter (see above); not part of the public API. */
export const superMarks = { count: 0 };

/**
 * Marks, from inside a base hook, that the base implementation was reached.
 * Every hook meant to be called through {@link callWithSuperCheck} (or between
 * {@link startSuperCheck} and {@link finishSuperCheck}) starts with this call.
 *
 * @param _target - the object whose hook runs (kept for readability; the mark
 *   goes to the innermost checked call under way).
 */
export function markSuperCalled(_target?: object): void {
  superMarks.count = (superMarks.count + 1) & 0x3fffffff;
}

/**
 * Starts a checked hook call; returns a token to hand to
 * {@link finishSuperCheck}. The pair costs a few arithmetic operations on a
 * module variable and allocates nothing:
 *
 * ```ts
 * const token = startSuperCheck(this);
 * this.onCreate();
 * finishSuperCheck(this, token, 'onCreate');
 * ```
 *
 * If the hook throws, just let the error propagate: nothing has to be undone.
 *
 * @param _target - the object whose hook is about to run (for readability).
 */
export function startSuperCheck(_target?: object): SuperCheckToken {
  return superMarks.count;
}

/**
 * Ends a checked hook call started with {@link startSuperCheck}: throws
 * {@link SuperNotCalledError} (naming `hook` and the target's class) if the
 * base hook was not reached since the token was taken.
 */
export function finishSuperCheck(target: object, token: SuperCheckToken, hook: string): void {
  if (superMarks.count === token) throw new SuperNotCalledError(hook, target.constructor.name);
  superMarks.count = token;
}

/**
 * Calls `method` on `target` with `args` and checks that the override chain
 * reached the base implementation (which calls {@link markSuperCalled}); throws
 * {@link SuperNotCalledError} naming `hook` and the class otherwise.
 * Nested checked calls (a hook that calls another checked hook) are supported:
 * the base reached by the nested call does not count for the enclosing one.
 */
export function callWithSuperCheck<T extends object, A extends unknown[]>(
  target: T,
  hook: string,
  method: (this: T, ...args: A) => unknown,
  ...args: NoInfer<A>
): void {
  const token = superMarks.count;
  method.apply(target, args);
  finishSuperCheck(target, token, hook);
}
