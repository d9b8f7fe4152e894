import type { Communicator } from '@plumpy-ts/communicator';

/**
 * Resolves once the subscriptions made so far on `communicator` are in place,
 * for a communicator that sets them up asynchronously (the RabbitMQ one has a
 * `ready()` method); at once for others.
 */
export async function subscriptionsReady(communicator: Communicator): Promise<void> {
  const ready = (communicator as { ready?: unknown }).ready;
  if (typeof ready === 'function') await (ready as () => Promise<void>).call(communicator);
}
