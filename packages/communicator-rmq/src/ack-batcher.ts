import type { Channel, Message } from 'amqplib';
import { settleDelivery } from './deliveries.js';

/**
 * Acknowledges the deliveries of a channel whose messages are all settled as
 * soon as they arrive (replies, broadcasts, RPC messages): the deliveries of
 * one read from the socket are acknowledged together, by one `basic.ack` with
 * `multiple` set for the latest of them. A delivery that is rejected instead is
 * rejected at once (before the acknowledgement that would cover it).
 */
export class AckBatcher {
  private latest: Message | undefined;

  constructor(private readonly channel: Channel) {}

  /** Acknowledges `message` (with the others received in this turn). */
  ack(message: Message): void {
    const scheduled = this.latest !== undefined;
    this.latest = message;
    if (!scheduled) queueMicrotask(() => this.flush());
  }

  /** Sends the pending acknowledgement now. */
  flush(): void {
    const latest = this.latest;
    this.latest = undefined;
    if (latest !== undefined) settleDelivery(this.channel, latest, 'ack-all');
  }
}
