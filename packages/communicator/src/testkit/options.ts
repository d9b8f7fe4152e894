import type { Communicator } from '../communicator.js';

/** How {@link communicatorConformanceSuite} obtains and disposes of the communicators under test. */
export interface CommunicatorConformanceOptions {
  /**
   * Creates a communicator for one test. Unless {@link createReceiver} is given it
   * is used both to send and to subscribe (as kiwipy's `CommunicatorTester` does).
   *
   * Each call should give an isolated communicator: over a broker, use a task
   * queue (and exchanges) of its own, so that a task left in a queue by one test
   * never reaches another.
   */
  create: () => Promise<Communicator> | Communicator;
  /**
   * Creates the communicator that subscribes, when it should be another one than
   * the sender (e.g. a second connection to the same broker). Called after
   * {@link create} in every test; it must reach the same queues and exchanges.
   */
  createReceiver?: (sender: Communicator) => Promise<Communicator> | Communicator;
  /**
   * Disposes of a communicator after its test (also one the test has closed
   * already). Default: `communicator.close()`.
   */
  destroy?: (communicator: Communicator) => Promise<void> | void;
  /** How long to wait for any one delivery or reply before failing the test, in ms. Default 10 000. */
  deliveryTimeoutMs?: number;
  /** The time limit of each test and hook, in ms. Default 60 000. */
  testTimeoutMs?: number;
}
