import { DuplicateSubscriberIdentifier, UnknownSubscriberIdentifier } from './errors.js';

/**
 * The subscribers of one kind (RPC, task or broadcast) by identifier, in the
 * order they were added. Generates identifiers for subscribers added without one.
 */
export class SubscriberRegistry<S> {
  private readonly subscribers = new Map<string, S>();
  private generated = 0;

  /** @param kind - names the kind in error messages and generated identifiers, e.g. `'rpc'` */
  constructor(private readonly kind: string) {}

  /** How many subscribers there are. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Adds `subscriber` under `identifier`, or under a fresh identifier when it is
   * `undefined` or empty; returns the identifier.
   * @throws DuplicateSubscriberIdentifier when the identifier is taken
   */
  add(subscriber: S, identifier?: string): string {
    const id = identifier === undefined || identifier === '' ? this.freshIdentifier() : identifier;
    if (this.subscribers.has(id)) throw new DuplicateSubscriberIdentifier(id);
    this.subscribers.set(id, subscriber);
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
    return this.subscribers.get(identifier);
  }

  /** Whether `subscriber` is (still) registered under `identifier`. */
  holds(identifier: string, subscriber: S): boolean {
    return this.subscribers.get(identifier) === subscriber;
  }

  /** A copy of the current entries, in the order they were added. */
  snapshot(): Array<[string, S]> {
    return Array.from(this.subscribers);
  }

  /** Removes every subscriber. */
  clear(): void {
    this.subscribers.clear();
  }

  private freshIdentifier(): string {
    let id: string;
    do {
      this.generated += 1;
      id = `${this.kind}-${this.generated.toString(36)}`;
    } while (this.subscribers.has(id));
    return id;
  }
}
