import { randomUUID } from 'node:crypto';
import type { Communicator } from '../communicator.js';
import type { CommunicatorConformanceOptions } from './options.js';

/** A promise with its resolve and reject functions. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Creates a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * What a conformance test works with: the communicators of the current test and
 * helpers for awaiting deliveries.
 */
export interface Harness {
  /** The communicator that sends (the only one unless a receiver is created separately). */
  readonly sender: Communicator;
  /** The communicator that subscribes (the sender itself by default). */
  readonly receiver: Communicator;
  /** The time limit of each test, for `it(name, fn, harness.testTimeoutMs)`. */
  readonly testTimeoutMs: number;
  /** Resolves as `promise` does, or rejects if it takes longer than the delivery timeout. */
  within<T>(promise: Promise<T>, what: string): Promise<T>;
  /** A fresh identifier, unique across runs (for subscribers, senders, subjects). */
  uid(prefix: string): string;
}

/** Hooks the suite registers around each test, and the {@link Harness} they fill in. */
export interface HarnessLifecycle {
  readonly harness: Harness;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

/** Creates the harness (and its set-up and tear-down) for the given options. */
export function createHarness(options: CommunicatorConformanceOptions): HarnessLifecycle {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 10_000;
  const destroy = options.destroy ?? ((communicator: Communicator) => communicator.close());
  let sender: Communicator | undefined;
  let receiver: Communicator | undefined;

  const harness: Harness = {
    get sender(): Communicator {
      if (sender === undefined) throw new Error('The conformance harness is used outside a test');
      return sender;
    },
    get receiver(): Communicator {
      if (receiver === undefined) throw new Error('The conformance harness is used outside a test');
      return receiver;
    },
    testTimeoutMs: options.testTimeoutMs ?? 60_000,
    within<T>(promise: Promise<T>, what: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Timed out after ${deliveryTimeoutMs} ms waiting for ${what}`)),
          deliveryTimeoutMs,
        );
        promise.then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    uid(prefix: string): string {
      return `${prefix}-${randomUUID()}`;
    },
  };

  return {
    harness,
    async setUp() {
      sender = await options.create();
      receiver = options.createReceiver === undefined ? sender : await options.createReceiver(sender);
    },
    async tearDown() {
      const created = [receiver, sender].filter((c, i, all): c is Communicator => c !== undefined && all.indexOf(c) === i);
      sender = undefined;
      receiver = undefined;
      for (const communicator of created) await destroy(communicator);
    },
  };
}
