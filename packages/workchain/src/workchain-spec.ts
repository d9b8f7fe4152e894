import { ProcessSpec, type ProcessSpecDescription } from '@plumpy-ts/process';
import type { OutlineDescription } from './instruction.js';
import { describeEntries } from './outline-description.js';
import { checkEntries, type OutlineEntry } from './outline-entry.js';

/** The description of a work chain spec: the process spec's, plus the outline. */
export interface WorkChainSpecDescription extends ProcessSpecDescription {
  /** The outline's description, once one is declared. */
  outline?: OutlineDescription[];
}

/**
 * The spec of a {@link WorkChain}: a process spec (ports, exit codes, exposed
 * processes) plus the outline, declared in `static define(spec)` with
 * {@link WorkChainSpec.outline}.
 */
export class WorkChainSpec extends ProcessSpec {
  private _outline: readonly OutlineEntry[] | undefined = undefined;

  /**
   * Declares the outline: the steps the work chain runs, in order — method
   * names or methods, and `if_`, `while_` and `return_` instructions, nested
   * to any depth. A second call replaces the outline. The entries' shapes are
   * checked now; method names are checked against the class when its spec is
   * built.
   *
   * @example
   * spec.outline('init', while_('notDone')('step', if_('odd')('a').elif_('even')('b').else_('c')), 'finish');
   * @throws OutlineError (a `TypeError`) for a malformed entry or an empty outline
   * @throws PortDefinitionError when the spec is sealed
   */
  outline(...entries: OutlineEntry[]): void {
    this.assertNotSealed('an outline');
    checkEntries(entries, 'the outline');
    this._outline = entries;
  }

  /** The outline's entries, or `undefined` if none was declared. */
  get outlineEntries(): readonly OutlineEntry[] | undefined {
    return this._outline;
  }

  /** The ports' description plus the outline's. */
  override getDescription(): WorkChainSpecDescription {
    const description: WorkChainSpecDescription = super.getDescription();
    if (this._outline !== undefined) description.outline = describeEntries(this._outline);
    return description;
  }
}
