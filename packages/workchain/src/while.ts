import { Instruction, bodyBuilder, entryName, type BodyBuilder, type ConditionEntry, type OutlineDescription } from './instruction.js';
import { describeEntries } from './outline-description.js';
import { checkCondition, checkEntries, type OutlineEntry } from './outline-entry.js';

/** The instruction made by {@link while_}: run the body as long as the condition is true. */
export class WhileInstruction extends Instruction {
  constructor(
    /** The condition, checked before each pass. */
    readonly condition: ConditionEntry,
    /** The steps of one pass. */
    readonly body: readonly OutlineEntry[],
  ) {
    super();
  }

  override describe(): OutlineDescription {
    return { [`while_(${entryName(this.condition)})`]: describeEntries(this.body) };
  }
}

/**
 * A loop: `while_(cond)(...steps)` runs the steps as long as `cond` (a method
 * name or a method returning a boolean) is true. Loops run without growing the
 * stack, however many passes they make.
 *
 * @example
 * spec.outline('init', while_('notDone')('step'), 'finish');
 * @throws OutlineError for a malformed condition (and, when the body is given, for malformed steps)
 */
export function while_(condition: ConditionEntry): BodyBuilder<WhileInstruction> {
  checkCondition(condition, 'while_');
  const label = `while_(${entryName(condition)})`;
  return bodyBuilder(label, (body) => {
    checkEntries(body, label);
    return new WhileInstruction(condition, body);
  });
}
