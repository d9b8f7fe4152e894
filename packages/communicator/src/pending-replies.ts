/** The sender's side of one message awaiting its outcome; settles at most once. */
export interface PendingReply {
  /** Whether the reply has been settled (delivered, failed or cancelled by close). */
  readonly settled: boolean;
  /** Resolves the sender's promise (a thenable is adopted). */
  resolve(value: unknown): void;
  /** Rejects the sender's promise. */
  reject(error: unknown): void;
}

/**
 * The replies senders are waiting for, so that closing the communicator can
 * reject them all.
 */
export class PendingReplies {
  private readonly pending = new Set<Reply>();

  /** Creates a pending reply, hands it to `start` and returns the sender's promise. */
  open(start: (reply: PendingReply) => void): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const reply = new Reply(this.pending, resolve, reject);
      this.pending.add(reply);
      start(reply);
    });
  }

  /** Rejects every pending reply with `error`. */
  rejectAll(error: unknown): void {
    for (const reply of Array.from(this.pending)) reply.reject(error);
  }
}

class Reply implements PendingReply {
  settled = false;

  constructor(
    private readonly owner: Set<Reply>,
    private readonly onResolve: (value: unknown) => void,
    private readonly onReject: (error: unknown) => void,
  ) {}

  resolve(value: unknown): void {
    if (this.settle()) this.onResolve(value);
  }

  reject(error: unknown): void {
    if (this.settle()) this.onReject(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.owner.delete(this);
    return true;
  }
}
