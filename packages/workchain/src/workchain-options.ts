import type { ProcessOptions } from '@plumpy-ts/process';
import type { AwaitableRecord } from './awaitable-record.js';
import type { WorkChainContext } from './context.js';

/**
 * A work chain's own state as plain data — what a checkpoint must hold besides
 * the process's: the context, the position in the outline and what it waits for.
 */
export interface WorkChainState {
  /** The context. */
  ctx: WorkChainContext;
  /** The position in the outline (see `StepperPath`). */
  stepper: number[];
  /** The awaitables registered and not yet put into the context. */
  awaiting: AwaitableRecord[];
}

/**
 * Options of the {@link WorkChain} constructor: exactly a process's
 * (`ProcessOptions`, whose inputs are a `Partial<I>` already).
 *
 * @deprecated Use `ProcessOptions<I>` from `@plumpy-ts/process`; this alias is kept for code that imports it.
 */
export type WorkChainOptions<I = Record<string, unknown>> = ProcessOptions<I>;

/** Options of {@link WorkChain.exposedInputs} and {@link WorkChain.exposedOutputs}. */
export interface ExposedOptions {
  /** The namespace the ports were exposed into (`spec.exposeInputs(Cls, { namespace })`). */
  namespace?: string;
}
