import type { AnyProcess } from '@plumpy-ts/process';

/**
 * The key of the {@link ChildResolver} in the `LoadSaveContext` a work chain is
 * recreated with: `bundle.unbundle(new LoadSaveContext({ awaitChild: resolver }))`.
 */
export const CHILD_RESOLVER_KEY = 'awaitChild';

/** What a {@link ChildResolver} is asked about: one awaited child of a recreated work chain. */
export interface ChildResolverRequest {
  /** The recreated work chain (in its saved state; it has not taken a step yet). */
  readonly parent: AnyProcess;
  /** The context key the child's outputs go to. */
  readonly key: string;
}

/**
 * Finds an awaited child process by pid for a work chain recreated from a
 * checkpoint while it waited for that child. Put it in the load context under
 * {@link CHILD_RESOLVER_KEY} (`'awaitChild'`); the work chain calls it once for
 * every child it still waits for, while it is being recreated.
 *
 * It returns a promise that settles like `child.future()`: resolved with the
 * child's outputs once it has finished (also if it finished before the parent
 * was recreated), rejected with `KilledError` if it was killed and with its
 * exception if it excepted. The work chain puts the outputs into its context,
 * or excepts with an `AwaitableFailedError` naming the key and pid, as it would
 * have with the live child. The promise may stay pending for as long as the
 * child runs, on this worker or any other (an implementation can follow the
 * child's `state_changed` broadcasts and read its outcome from a persister).
 *
 * Instead of the promise it may return a {@link ChildHandle} (`future()` for
 * the outcome, and `pause` / `play` / `kill`): pausing, playing or killing the
 * work chain then pauses, plays or kills the child through it — wherever the
 * child runs. A live process of this Node process is such a handle too (it is
 * then treated as a child launched here).
 *
 * Returning `undefined` means "unknown here": the work chain then re-attaches
 * to the child directly if it is a live process of this Node process (one that
 * a work chain launched or awaited, and that was saved waiting for it).
 * Recreating a work chain that waits for a child found neither way fails with a
 * `PersistenceError` naming the pids; so does a resolver that throws.
 *
 * @example
 * // For children that have ended and were checkpointed when they did:
 * const awaitChild: ChildResolver = async (pid) => (await persister.loadCheckpoint(pid)).unbundle<Process>().future();
 * const chain = bundle.unbundle(new LoadSaveContext({ awaitChild }));
 */
export type ChildResolver = (
  pid: string,
  request: ChildResolverRequest,
) => PromiseLike<unknown> | ChildHandle | undefined;

/**
 * A handle on a child process that runs elsewhere (on another worker, or a
 * copy of this Node process that can only be reached over a communicator),
 * which a {@link ChildResolver} may return instead of a bare promise — the
 * controllers package's `RemoteProcess` has this shape. The work chain takes
 * the child's outcome from {@link ChildHandle.future} (as it would take a bare
 * promise), and controls the child with it: pausing the chain pauses it,
 * playing the chain plays it again, killing the chain kills it.
 *
 * A failure of `pause`, `play` or `kill` (e.g. the child is between workers
 * and nobody answers for it) is logged by the work chain, never thrown.
 */
export interface ChildHandle {
  /** The child's outcome, as `child.future()` gives it (see {@link ChildResolver}). */
  future(): PromiseLike<unknown>;
  /** Pauses the child; resolves `true` once paused. */
  pause(msg?: string): PromiseLike<boolean>;
  /** Plays the child (may return a promise, which is awaited for its failure only). */
  play(): unknown;
  /** Kills the child; resolves `true` once killed. */
  kill(msg?: string, options?: { force?: boolean }): PromiseLike<boolean>;
}
