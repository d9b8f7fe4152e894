import { randomUUID } from 'node:crypto';
import { DuplicateSubscriberIdentifier, UnknownSubscriberIdentifier } from './errors.js';

/**
 * The subscribers of one kind (RPC, task or broadcast) by identifier, in the
 * order they were added: the bookkeeping every `Communicator` needs, for
 * plugin authors to reuse. Identifiers generated for subscribers added without
 * one are UUIDs, unique across communicators (over a broker an RPC identifier
 * is an address).
 *
 * @typeParam S - the subscriber type, e.g. `RpcSubscriber`
 */
export class SubscriberRegistry<S> {
  private readonly subscribers = new Map<string, { readonly subscriber: S; readonly seq: number }>();
  /** Numbers the additions, so that a walk can skip subscribers added after it began. */
  private added = 0;

  /** @param kind - names the kind in error messages, e.g. `'rpc'` */
  constructor(private readonly kind: string) {}

  /** How many subscribers there are. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Adds `subscriber` under `identifier` (a fresh one when it is `undefined` or empty); returns the identifier.
   * @throws DuplicateSubscriberIdentifier when the identifier is taken
   */
  add(subscriber: S, identifier?: string): string {
    const id = identifier === undefined || identifier === '' ? randomUUID() : identifier;
    if (this.subscribers.has(id)) throw new DuplicateSubscriberIdentifier(id);
    this.added += 1;
    this.subscribers.set(id, { subscriber, seq: this.added });
    return id;
  }

  /**
   * Removes the subscriber under `identifier`.
   * @throws UnknownSubscriberIdentifier when there is none
   */
  remove(identifier: string): void {
    if (!this.subscribers.delete(identifier)) throw new UnknownSubscriberIdentifier(identifier, this.kind);
  }

  /** The subscriber under `identifier`, if any. */
  get(identifier: string): S | undefined {
    return this.subscribers.get(identifier)?.subscriber;
  }

  /** Whether there is a subscriber under `identifier`. */
  has(identifier: string): boolean {
    return this.subscribers.has(identifier);
  }

  /** Whether `subscriber` is (still) registered under `identifier`. */
  holds(identifier: string, subscriber: S): boolean {
    return this.subscribers.get(identifier)?.subscriber === subscriber;
  }

  /** The identifiers, in the order they were added. */
  identifiers(): string[] {
    return Array.from(this.subscribers.keys());
  }

  /** A copy of the entries, in the order they were added. */
  snapshot(): Array<[string, S]> {
    return Array.from(this.subscribers, ([identifier, entry]) => [identifier, entry.subscriber]);
  }

  /**
   * Calls `visit` for each subscriber there is now, in the order they were
   * added, without copying: one removed before its turn (by an earlier
   * `visit`) is skipped, as is one added after the walk began.
   */
  forEachCurrent(visit: (identifier: string, subscriber: S) => void): void {
    const last = this.added;
    for (const [identifier, entry] of this.subscribers) {
      if (entry.seq <= last) visit(identifier, entry.subscriber);
    }
  }

  /** Removes every subscriber. */
  clear(): void {
    this.subscribers.clear();
  }
}
