import { ExitCode } from '@plumpy-ts/process';
import { OutlineError } from './errors.js';
import { Instruction, type OutlineDescription } from './instruction.js';

/**
 * What a `return_` ends the work chain with: nothing, an {@link ExitCode}, an
 * exit status (a non-negative integer) or the name of an exit code declared in
 * the spec (`spec.exitCode(status, NAME, message)`).
 */
export type ReturnValue = ExitCode | number | string;

/** The instruction made by {@link return_}: end the work chain at once. */
export class ReturnInstruction extends Instruction {
  /** What the work chain ends with; `undefined` for a plain `return_`. */
  readonly exitCode: ReturnValue | undefined;

  constructor(exitCode?: ReturnValue) {
    super();
    if (exitCode !== undefined) checkReturnValue(exitCode);
    this.exitCode = exitCode;
  }

  /** `'return_'`, or `'return_(NAME)'` / `'return_(status)'`. */
  label(): string {
    const code = this.exitCode;
    if (code === undefined) return 'return_';
    if (code instanceof ExitCode) return `return_(${code.name ?? code.status})`;
    return `return_(${code})`;
  }

  override describe(): OutlineDescription {
    return this.label();
  }
}

function checkReturnValue(value: unknown): void {
  if (value instanceof ExitCode) return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return;
  if (typeof value === 'string' && value !== '') return;
  throw new OutlineError(
    `return_(${String(value)}): expected an ExitCode, a non-negative integer exit status or the name of a declared exit code`,
  );
}

/** The type of {@link return_}: an instruction that can also be called with an exit code. */
export interface ReturnBuilder {
  /** `return_(exitCode)`: end the work chain with this exit code. */
  (exitCode: ReturnValue): ReturnInstruction;
  /** The plain `return_` instruction. */
  readonly instruction: ReturnInstruction;
}

/**
 * Ends the work chain at once when the outline reaches it: `return_` finishes
 * it successfully (exit status 0); `return_(this.exitCodes.NAME)` — or
 * `return_('NAME')`, or `return_(status)` — finishes it with that exit code (a
 * non-zero status is not successful).
 *
 * @example
 * spec.outline('check', if_('failed')(return_('ERROR_CHECK')), 'work');
 */
export const return_: ReturnBuilder = Object.assign((exitCode: ReturnValue) => new ReturnInstruction(exitCode), {
  instruction: new ReturnInstruction(),
});
