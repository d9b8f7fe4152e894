/** What a pending interrupt does when it takes effect. */
export type InterruptKind = 'pause' | 'kill';

let captured: ((done: boolean) => void) | undefined;
function capture(resolve: (done: boolean) => void): void {
  captured = resolve;
}

/**
 * A pause or kill asked for while a step (or a transition) runs: it takes effect
 * when the step is over. {@link PendingInterrupt.promise} is what `pause()` /
 * `kill()` returned; it resolves `true` once the interrupt took effect and
 * `false` if it was cancelled or overtaken.
 */
export class PendingInterrupt {
  /** Resolves with whether the interrupt took effect. */
  readonly promise: Promise<boolean>;
  private readonly _resolve: (done: boolean) => void;

  constructor(
    /** A pause or a kill. */
    readonly kind: InterruptKind,
    /** The pause or kill message. */
    readonly msg: string | undefined,
    /** A forced kill (at once, even mid-step). */
    readonly force: boolean,
  ) {
    this.promise = new Promise<boolean>(capture);
    this._resolve = captured!;
    captured = undefined;
  }

  /** Settles {@link PendingInterrupt.promise}. */
  resolve(done: boolean): void {
    this._resolve(done);
  }
}
