import type { OutlineEntry } from './outline-entry.js';

/**
 * A step of an outline: the name of a method of the work chain, or a function
 * that is called with the work chain as `this` (typically a method,
 * `this.prototype.step`). A step takes no parameters.
 */
export type StepEntry = string | (() => unknown);

/**
 * The condition of an `if_`, `elif_` or `while_`: the name of a method of the
 * work chain, or a function called with the work chain as `this`. It takes no
 * parameters and must return a boolean.
 */
export type ConditionEntry = string | (() => boolean);

/**
 * The description of an outline, as found in the spec's description: a step's
 * name, a list of entries, or for a conditional an object from its labels
 * (`'if_(cond)'`, `'elif_(cond)'`, `'else_'`, `'while_(cond)'`) to the bodies.
 */
export type OutlineDescription = string | OutlineDescription[] | { [label: string]: OutlineDescription[] };

/**
 * An outline instruction other than a plain step: made by {@link if_},
 * {@link while_} and {@link return_}. Instructions are immutable data; the
 * work chain class compiles them once, when its spec is built.
 */
export abstract class Instruction {
  /** A JSON-able description of the instruction. */
  abstract describe(): OutlineDescription;

  /** The description as JSON. */
  toString(): string {
    return JSON.stringify(this.describe());
  }
}

/** Marks a function that still waits for its body (`if_(c)` without `(...)`); its value is the label. */
export const PENDING_BODY: unique symbol = Symbol('plumpy-ts.workchain.pendingBody');

/** A function that takes the body of a conditional and returns the finished instruction. */
export type BodyBuilder<T> = (...body: OutlineEntry[]) => T;

/** Makes a {@link BodyBuilder}, marked so that forgetting to call it is reported clearly. */
export function bodyBuilder<T>(label: string, build: (body: readonly OutlineEntry[]) => T): BodyBuilder<T> {
  const builder: BodyBuilder<T> = (...body) => build(body);
  Object.defineProperty(builder, PENDING_BODY, { value: label });
  return builder;
}

/** The label of a body builder, if `value` is one. */
export function pendingBodyLabel(value: unknown): string | undefined {
  if (typeof value !== 'function') return undefined;
  const label = (value as { [PENDING_BODY]?: unknown })[PENDING_BODY];
  return typeof label === 'string' ? label : undefined;
}

/** The name shown for a step or condition: the string, or the function's name. */
export function entryName(entry: StepEntry | ConditionEntry): string {
  if (typeof entry === 'string') return entry;
  const name = entry.name.startsWith('bound ') ? entry.name.slice(6) : entry.name;
  return name === '' ? '<anonymous>' : name;
}
