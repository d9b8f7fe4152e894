/**
 * The broadcasts a communicator sends one after another with nothing else sent
 * in between (the `state_changed` broadcasts of a process that runs several
 * steps at once, say), published together as one message at the end of the
 * synchronous code that sent them. Each one still reaches the subscribers as a
 * broadcast of its own, in order; every send of the batch resolves (or
 * rejects) with the batch.
 */
export class BroadcastBatch {
  /** The JSON texts of the envelopes, in order. */
  readonly texts: string[] = [];
  /** Settles with the batch: `true` once it is written to the connection. */
  readonly sent: Promise<boolean>;
  /** Settles {@link BroadcastBatch.sent} with `true` (the batch is written to the connection). */
  readonly resolve: (sent: boolean) => void;
  /** Rejects {@link BroadcastBatch.sent}. */
  readonly reject: (error: unknown) => void;

  constructor() {
    let resolve!: (sent: boolean) => void;
    let reject!: (error: unknown) => void;
    this.sent = new Promise<boolean>((onSent, onFailed) => {
      resolve = onSent;
      reject = onFailed;
    });
    this.resolve = resolve;
    this.reject = reject;
  }

  /** Adds the envelope text of a broadcast; returns the promise of the batch. */
  add(text: string): Promise<boolean> {
    this.texts.push(text);
    return this.sent;
  }
}
