import type { BroadcastSubscriber, Communicator } from './communicator.js';
import { compileMatchPattern, type Matcher, type MatchPattern } from './match-pattern.js';

/** Options of the {@link BroadcastFilter} constructor. */
export interface BroadcastFilterOptions {
  /** Only pass broadcasts whose subject matches (see {@link MatchPattern}). */
  subject?: MatchPattern;
  /** Only pass broadcasts whose sender matches (see {@link MatchPattern}). */
  sender?: MatchPattern;
}

/**
 * The call signature of a {@link BroadcastFilter}: a filter is itself a
 * {@link BroadcastSubscriber}, calling its subscriber for the broadcasts that pass.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- declares the call signature the constructor gives every instance
export interface BroadcastFilter {
  (
    communicator: Communicator,
    body: unknown,
    sender: string | undefined,
    subject: string | undefined,
    correlationId: string | undefined,
  ): unknown;
}

/**
 * A broadcast subscriber that passes on to the wrapped subscriber only the
 * broadcasts whose subject and sender match its filters (kiwipy's
 * `BroadcastFilter`).
 *
 * An instance is a function, so it can be given to
 * {@link Communicator.addBroadcastSubscriber} of any communicator:
 *
 * ```ts
 * communicator.addBroadcastSubscriber(
 *   new BroadcastFilter(onStateChange, { subject: 'state_changed.*', sender: '42' }),
 * );
 * ```
 *
 * Filters of one kind are alternatives (a subject passes if it matches any of
 * the subject filters); the subject and the sender must both pass. As in
 * kiwipy, a broadcast without a subject (or without a sender) is not stopped
 * by subject (sender) filters, and a filter with no filters passes everything.
 * A filtered-out broadcast returns `undefined` without calling the subscriber.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class BroadcastFilter {
  /** The subscriber receiving the broadcasts that pass. */
  declare readonly subscriber: BroadcastSubscriber;
  declare private subjectMatchers: Matcher[];
  declare private senderMatchers: Matcher[];

  /**
   * @param subscriber - receives the broadcasts that pass the filters
   * @param options - a first subject and/or sender filter; more can be added
   */
  constructor(subscriber: BroadcastSubscriber, options: BroadcastFilterOptions = {}) {
    // The instance is a function (so that it is a BroadcastSubscriber) whose
    // prototype chain is this class's, which itself inherits Function.prototype.
    const filter = function deliverIfPasses(
      communicator: Communicator,
      body: unknown,
      sender: string | undefined,
      subject: string | undefined,
      correlationId: string | undefined,
    ): unknown {
      if (filter.isFiltered(sender, subject)) return undefined;
      return filter.subscriber(communicator, body, sender, subject, correlationId);
    } as BroadcastFilter;
    Object.setPrototypeOf(filter, new.target.prototype);
    Object.defineProperties(filter, {
      subscriber: { value: subscriber, enumerable: true },
      subjectMatchers: { value: [], writable: true },
      senderMatchers: { value: [], writable: true },
    });
    if (options.subject !== undefined) filter.addSubjectFilter(options.subject);
    if (options.sender !== undefined) filter.addSenderFilter(options.sender);
    return filter;
  }

  /** Adds a subject filter (an alternative to those already there); returns the filter. */
  addSubjectFilter(pattern: MatchPattern): this {
    this.subjectMatchers = [...this.subjectMatchers, compileMatchPattern(pattern)];
    return this;
  }

  /** Adds a sender filter (an alternative to those already there); returns the filter. */
  addSenderFilter(pattern: MatchPattern): this {
    this.senderMatchers = [...this.senderMatchers, compileMatchPattern(pattern)];
    return this;
  }

  /** Whether a broadcast from `sender` about `subject` is stopped by this filter. */
  isFiltered(sender: string | null | undefined, subject: string | null | undefined): boolean {
    return !passes(this.subjectMatchers, subject) || !passes(this.senderMatchers, sender);
  }
}

Object.setPrototypeOf(BroadcastFilter.prototype, Function.prototype);

function passes(matchers: readonly Matcher[], value: string | null | undefined): boolean {
  if (value === undefined || value === null || matchers.length === 0) return true;
  // Tolerate a number (e.g. a numeric pid) where a string is expected.
  const text = String(value);
  return matchers.some((matches) => matches(text));
}
