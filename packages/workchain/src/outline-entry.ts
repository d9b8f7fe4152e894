import { OutlineError } from './errors.js';
import {
  Instruction,
  entryName,
  pendingBodyLabel,
  type ConditionEntry,
  type StepEntry,
} from './instruction.js';
import { return_, type ReturnBuilder } from './return.js';

/**
 * One entry of an outline (or of the body of a conditional): a step (method
 * name or method), an instruction made by `if_`/`while_`/`return_(code)`, or
 * `return_` itself.
 */
export type OutlineEntry = StepEntry | Instruction | ReturnBuilder;

/**
 * Checks the entries of an outline or body; `where` names it in errors
 * (`'the outline'`, `'while_(more)'`).
 *
 * @throws OutlineError for an empty list or a malformed entry
 */
export function checkEntries(entries: readonly unknown[], where: string): asserts entries is readonly OutlineEntry[] {
  if (entries.length === 0) throw new OutlineError(`${where} has no steps: give it at least one`);
  for (const entry of entries) checkEntry(entry, where);
}

function checkEntry(entry: unknown, where: string): void {
  if (entry instanceof Instruction || entry === return_) return;
  if (typeof entry === 'string') {
    if (entry === '') throw new OutlineError(`${where}: a step name must not be empty`);
    return;
  }
  if (typeof entry === 'function') {
    const pending = pendingBodyLabel(entry);
    if (pending !== undefined) {
      throw new OutlineError(`${where}: ${pending} has no body; call it with its steps, e.g. ${pending}('step')`);
    }
    checkArity(entry as () => unknown, 'step', where);
    return;
  }
  throw new OutlineError(
    `${where}: invalid outline entry ${describeValue(entry)}; expected a method name, a method, ` +
      'if_(...)(...), while_(...)(...) or return_',
  );
}

/**
 * Checks the condition of `label` (e.g. `'if_'`).
 *
 * @throws OutlineError when it is neither a method name nor a function without parameters
 */
export function checkCondition(condition: unknown, label: string): asserts condition is ConditionEntry {
  if (typeof condition === 'string') {
    if (condition === '') throw new OutlineError(`${label}(): the condition's name must not be empty`);
    return;
  }
  if (typeof condition === 'function' && pendingBodyLabel(condition) === undefined) {
    checkArity(condition as () => boolean, 'condition', `${label}(${entryName(condition as () => boolean)})`);
    return;
  }
  throw new OutlineError(
    `${label}(${describeValue(condition)}): the condition must be a method name or a method returning a boolean`,
  );
}

/** A step or condition takes no parameters: it is called with the work chain as `this`. */
export function checkArity(fn: () => unknown, what: 'step' | 'condition', where: string): void {
  if (fn.length > 0) {
    throw new OutlineError(
      `${where}: ${what} '${entryName(fn)}' takes ${fn.length} parameter(s); ` +
        `a ${what} takes none (it is called with the work chain as this)`,
    );
  }
}

/** A short rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${entryName(value as () => unknown)}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `[object ${value.constructor?.name ?? 'Object'}]`;
}
