/** Whether `value` is a promise or another thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `value` if it is an Error, else an Error with its text. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
