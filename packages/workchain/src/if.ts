import { OutlineError } from './errors.js';
import { Instruction, bodyBuilder, entryName, type BodyBuilder, type ConditionEntry, type OutlineDescription } from './instruction.js';
import { describeEntries } from './outline-description.js';
import { checkCondition, checkEntries, type OutlineEntry } from './outline-entry.js';

/** One branch of an {@link IfInstruction}. */
export interface IfBranch {
  /** `'if_'`, `'elif_'` or `'else_'`. */
  readonly label: 'if_' | 'elif_' | 'else_';
  /** The condition; `undefined` for the `else_` branch. */
  readonly condition: ConditionEntry | undefined;
  /** The steps run when this branch is taken. */
  readonly body: readonly OutlineEntry[];
}

/**
 * The instruction made by {@link if_}: the body of the first branch whose
 * condition is true runs (or the `else_` body if none is). Immutable: `elif_`
 * and `else_` return a new instruction.
 */
export class IfInstruction extends Instruction {
  /** The branches, in order. */
  readonly branches: readonly IfBranch[];

  constructor(branches: readonly IfBranch[]) {
    super();
    this.branches = branches;
  }

  /** Whether the last branch is an `else_` (no branch can follow it). */
  get hasElse(): boolean {
    return this.branches[this.branches.length - 1]?.label === 'else_';
  }

  /**
   * Adds a branch taken when `condition` is true and no earlier one was;
   * call the result with the branch's steps.
   *
   * @throws OutlineError after `else_`, or for a malformed condition
   */
  elif_(condition: ConditionEntry): BodyBuilder<IfInstruction> {
    if (this.hasElse) throw new OutlineError(`elif_(${entryName(condition)}) cannot follow else_`);
    checkCondition(condition, 'elif_');
    const label = `elif_(${entryName(condition)})`;
    return bodyBuilder(label, (body) => {
      checkEntries(body, label);
      return new IfInstruction([...this.branches, { label: 'elif_', condition, body }]);
    });
  }

  /**
   * Adds the branch taken when no condition is true.
   *
   * @throws OutlineError after another `else_`, or for malformed steps
   */
  else_(...body: OutlineEntry[]): IfInstruction {
    if (this.hasElse) throw new OutlineError('else_ cannot follow else_');
    checkEntries(body, 'else_');
    return new IfInstruction([...this.branches, { label: 'else_', condition: undefined, body }]);
  }

  override describe(): OutlineDescription {
    const description: Record<string, OutlineDescription[]> = {};
    for (const branch of this.branches) {
      const key = branch.condition === undefined ? branch.label : `${branch.label}(${entryName(branch.condition)})`;
      description[key] = describeEntries(branch.body);
    }
    return description;
  }
}

/**
 * A conditional: `if_(cond)(...steps)`, optionally followed by
 * `.elif_(cond)(...steps)` and `.else_(...steps)`, nested to any depth.
 * Conditions are method names or methods returning a boolean.
 *
 * @example
 * spec.outline(if_('isA')('a').elif_('isB')('b').else_('c'));
 * @throws OutlineError for a malformed condition (and, when the body is given, for malformed steps)
 */
export function if_(condition: ConditionEntry): BodyBuilder<IfInstruction> {
  checkCondition(condition, 'if_');
  const label = `if_(${entryName(condition)})`;
  return bodyBuilder(label, (body) => {
    checkEntries(body, label);
    return new IfInstruction([{ label: 'if_', condition, body }]);
  });
}
