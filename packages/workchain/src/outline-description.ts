import { Instruction, entryName, type OutlineDescription, type StepEntry } from './instruction.js';
import type { OutlineEntry } from './outline-entry.js';
import { return_ } from './return.js';

/** The JSON-able description of a list of outline entries. */
export function describeEntries(entries: readonly OutlineEntry[]): OutlineDescription[] {
  return entries.map((entry) => {
    if (entry === return_) return return_.instruction.describe();
    if (entry instanceof Instruction) return entry.describe();
    return entryName(entry as StepEntry);
  });
}
