import type { AnyProcess } from '@plumpy-ts/process';

/** A promise or a child process that a work chain can wait for. */
export type AwaitableTarget = PromiseLike<unknown> | AnyProcess;

/** Made by {@link append_}: the value is appended to an array in the context instead of assigned. */
export class AppendMarker<T extends AwaitableTarget = AwaitableTarget> {
  constructor(
    /** The promise or child process awaited. */
    readonly target: T,
  ) {}
}

/**
 * Wraps an awaitable given to `toContext` so that its value is appended to the
 * array `ctx[key]` (created if missing) instead of replacing `ctx[key]`.
 * Values appended in one step are appended in the order they were registered,
 * whatever order they settle in.
 *
 * @example
 * for (const x of this.inputs.xs) this.toContext({ results: append_(this.launch(Square, { inputs: { x } })) });
 */
export function append_<T extends AwaitableTarget>(target: T): AppendMarker<T> {
  return new AppendMarker(target);
}
