import { afterEach, beforeEach, describe } from 'vitest';
import { describeBroadcastConformance } from './broadcast-conformance.js';
import { describeCloseConformance } from './close-conformance.js';
import { createHarness } from './harness.js';
import { describeIdentifierConformance } from './identifier-conformance.js';
import type { CommunicatorConformanceOptions } from './options.js';
import { describeRpcConformance } from './rpc-conformance.js';
import { describeTaskConformance } from './task-conformance.js';

/**
 * Registers the communicator conformance tests (vitest) for a
 * `Communicator` implementation: what kiwipy's `CommunicatorTester`
 * checks and more — RPC (replies, promises, remote exceptions, unroutable
 * recipients, removal), tasks (results, promises, exceptions, `noReply`,
 * `TaskRejected`, waiting for a subscriber, removal, concurrency), broadcasts
 * (delivery, filters, removal, no listeners, failing subscribers), subscriber
 * identifiers and `close()`.
 *
 * Call it at the top level of a test file:
 *
 * ```ts
 * import { communicatorConformanceSuite } from '@plumpy-ts/communicator/testkit';
 * communicatorConformanceSuite('LocalCommunicator', { create: () => new LocalCommunicator() });
 * ```
 *
 * The tests never rely on synchronous delivery: they await promises that
 * subscribers resolve, each with a time limit ({@link CommunicatorConformanceOptions.deliveryTimeoutMs}),
 * and use fresh identifiers. A communicator over a broker must let at least 3
 * tasks be in flight at once (prefetch), report an RPC to an identifier with no
 * subscriber as `UnroutableError` (or `TimeoutError`), keep the order of
 * broadcasts from one sender, and reject pending sends on close.
 *
 * @param name - names the top-level `describe` block
 * @param options - how to create (and destroy) the communicators under test
 */
export function communicatorConformanceSuite(name: string, options: CommunicatorConformanceOptions): void {
  const { harness, setUp, tearDown } = createHarness(options);
  const hookTimeoutMs = harness.testTimeoutMs;

  describe(`${name} (communicator conformance)`, () => {
    beforeEach(setUp, hookTimeoutMs);
    afterEach(tearDown, hookTimeoutMs);

    describeRpcConformance(harness);
    describeTaskConformance(harness);
    describeBroadcastConformance(harness);
    describeIdentifierConformance(harness);
    describeCloseConformance(harness);
  });
}
