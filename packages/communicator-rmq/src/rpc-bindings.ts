import type { Channel } from 'amqplib';
import { rpcRoutingKey } from './topology.js';

/** AMQP 0-9-1 `queue.bind` (class 50, method 20): the method id amqplib sends it under. */
const QUEUE_BIND = (50 << 16) | 20;

/** amqplib's channel internals this module uses when present: sending a method frame without waiting for a reply. */
interface FrameSender {
  sendImmediately(method: number, fields: Record<string, unknown>): unknown;
}

function frameSender(channel: Channel): FrameSender | undefined {
  const candidate = channel as unknown as Partial<FrameSender>;
  return typeof candidate.sendImmediately === 'function' ? (candidate as FrameSender) : undefined;
}

/** The channels an {@link RpcBindings} works on. */
export interface RpcBindingChannels {
  /** Carries the `queue.bind`s (sent without waiting, `nowait`) and the fences that confirm them. */
  readonly bind: Channel;
  /** Carries the `queue.unbind`s (AMQP has no `nowait` for them), so that they never hold up binds or fences. */
  readonly unbind: Channel;
}

/**
 * The bindings of one connection's RPC queue on the message exchange: one per
 * RPC identifier, under `rpc.<identifier>`. Binds are pipelined — sent as
 * `nowait` frames one after another without a round trip each — and confirmed
 * together by a fence (a synchronous `queue.declare passive` on the same
 * channel: the broker processes a channel's methods in order, so its reply
 * means every bind sent before it is in place). Unbinds go over a second
 * channel, in the background; an identifier bound again while its unbind is
 * under way is bound again once the unbind is done.
 *
 * A failing bind or unbind closes its channel; the owner hears of it through
 * `failed` and rebuilds the whole connection.
 */
export class RpcBindings {
  /** Identifiers with a bind sent (and no unbind since), with the sequence number of that bind. */
  private readonly bound = new Map<string, number>();
  /** Identifiers being unbound, with the unbind (never rejects). */
  private readonly unbinding = new Map<string, Promise<void>>();
  /** Identifiers wanted again while they were being unbound. */
  private readonly rebind = new Set<string>();
  private readonly sender: FrameSender | undefined;
  /** Sequence number of the last bind sent. */
  private sent = 0;
  /** Every bind with a sequence number up to this one is in place on the broker. */
  private confirmed = 0;
  private fenceInFlight: Promise<void> | undefined;

  constructor(
    private readonly channels: RpcBindingChannels,
    private readonly queue: string,
    private readonly exchange: string,
    /** Whether `identifier` is wanted now (has a subscriber). */
    private readonly wanted: (identifier: string) => boolean,
    /** A bind or unbind failed: the connection must be rebuilt. */
    private readonly failed: (error: unknown) => void,
  ) {
    this.sender = frameSender(channels.bind);
  }

  /** Binds or unbinds `identifier` so that the broker matches whether it is wanted. */
  sync(identifier: string): void {
    const wanted = this.wanted(identifier);
    if (this.unbinding.has(identifier)) {
      if (wanted) this.rebind.add(identifier);
      else this.rebind.delete(identifier);
      return;
    }
    const isBound = this.bound.has(identifier);
    if (wanted && !isBound) this.bind(identifier);
    else if (!wanted && isBound) this.unbind(identifier);
  }

  /** Whether the broker routes `identifier`'s messages to the queue now (its bind is confirmed). */
  isLive(identifier: string): boolean {
    const seq = this.bound.get(identifier);
    return seq !== undefined && seq <= this.confirmed;
  }

  /**
   * Resolves once every identifier wanted so far is bound on the broker.
   * Rejects if the channel closes first.
   */
  async settled(): Promise<void> {
    for (;;) {
      const rebinding: Array<Promise<void>> = [];
      for (const identifier of this.rebind) {
        const unbind = this.unbinding.get(identifier);
        if (unbind !== undefined) rebinding.push(unbind);
      }
      if (rebinding.length > 0) {
        await Promise.all(rebinding);
        continue;
      }
      if (this.confirmed >= this.sent) return;
      await this.fence();
    }
  }

  private bind(identifier: string): void {
    this.sent += 1;
    const seq = this.sent;
    this.bound.set(identifier, seq);
    const routingKey = rpcRoutingKey(identifier);
    if (this.sender !== undefined) {
      try {
        this.sender.sendImmediately(QUEUE_BIND, {
          ticket: 0,
          queue: this.queue,
          exchange: this.exchange,
          routingKey,
          nowait: true,
          arguments: {},
        });
      } catch (error) {
        this.failed(error);
      }
      return;
    }
    // Without amqplib's frame sender: an ordinary bind (amqplib queues it behind the ones in flight).
    this.channels.bind.bindQueue(this.queue, this.exchange, routingKey).then(
      () => {
        if (seq > this.confirmed) this.confirmed = seq;
      },
      (error: unknown) => this.failed(error),
    );
  }

  private unbind(identifier: string): void {
    const seq = this.bound.get(identifier) ?? 0;
    this.bound.delete(identifier);
    // Started after it is recorded: it removes its own record when done.
    const unbinding = Promise.resolve().then(async () => {
      try {
        // The unbind travels on another channel: it must not overtake its own bind.
        while (this.confirmed < seq) await this.fence();
        await this.channels.unbind.unbindQueue(this.queue, this.exchange, rpcRoutingKey(identifier));
      } catch (error) {
        this.failed(error);
      }
      this.unbinding.delete(identifier);
      if (this.rebind.delete(identifier)) this.sync(identifier);
    });
    this.unbinding.set(identifier, unbinding);
  }

  /** Confirms every bind sent so far (one fence at a time). */
  private async fence(): Promise<void> {
    if (this.fenceInFlight !== undefined) {
      await this.fenceInFlight;
      return;
    }
    const target = this.sent;
    const fence = this.channels.bind.checkQueue(this.queue).then(() => {
      if (target > this.confirmed) this.confirmed = target;
    });
    this.fenceInFlight = fence;
    try {
      await fence;
    } finally {
      this.fenceInFlight = undefined;
    }
  }
}
