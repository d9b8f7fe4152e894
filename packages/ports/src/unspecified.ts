/**
 * The sentinel for "no value": a port without a default has `UNSPECIFIED` as its default, and
 * validating `UNSPECIFIED` (or `undefined`) means "no value was provided for this port".
 */
export const UNSPECIFIED: unique symbol = Symbol('UNSPECIFIED');

/** The type of the {@link UNSPECIFIED} sentinel. */
export type Unspecified = typeof UNSPECIFIED;

/** Whether `value` counts as "not provided": `undefined` or the {@link UNSPECIFIED} sentinel. */
export function isUnspecified(value: unknown): value is undefined | Unspecified {
  return value === undefined || value === UNSPECIFIED;
}
