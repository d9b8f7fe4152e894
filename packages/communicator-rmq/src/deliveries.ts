import type { Channel, Message } from 'amqplib';
import type { RmqLogger } from './options.js';
import { describeError } from './outcome.js';

/** Channels that have closed: their deliveries can no longer be acknowledged (the broker redelivers them). */
const closedChannels = new WeakSet<Channel>();

/** Records that `channel` has closed. */
export function markChannelClosed(channel: Channel): void {
  closedChannels.add(channel);
}

/**
 * Acknowledges, rejects (dead-letters) or requeues a delivery, unless its
 * channel is gone; `'ack-all'` acknowledges it and every earlier delivery of
 * the channel not settled yet.
 */
export function settleDelivery(channel: Channel, message: Message, how: 'ack' | 'ack-all' | 'reject' | 'requeue'): void {
  if (closedChannels.has(channel)) return;
  try {
    if (how === 'ack' || how === 'ack-all') channel.ack(message, how === 'ack-all');
    else channel.nack(message, false, how === 'requeue');
  } catch {
    // the channel closed meanwhile; the broker redelivers the message
  }
}

/** Rejects a message this package cannot use (dead-lettered if the queue has a dead-letter exchange) and logs it. */
export function rejectMalformed(logger: RmqLogger, channel: Channel, message: Message, queue: string, error: unknown): void {
  logger.error(`Rejected a message on queue '${queue}': ${describeError(error)}`, error);
  settleDelivery(channel, message, 'reject');
}
