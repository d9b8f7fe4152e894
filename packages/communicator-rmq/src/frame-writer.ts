import type { ChannelModel } from 'amqplib';

/** The socket side of an amqplib connection, as the frame writer uses it. */
interface FrameSocket {
  write(frame: Buffer): boolean;
  cork(): void;
  uncork(): void;
  once(event: 'drain', listener: () => void): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  readonly writableNeedDrain: boolean;
}

/** An amqplib channel, as its connection sees it. */
interface ChannelLike {
  onBufferDrain(): void;
}

/** A channel as amqplib's connection records it, with where its frames are written (a stream, or the frame writer). */
interface ChannelRecord {
  readonly channel: ChannelLike;
  buffer: { write(frame: Buffer): boolean; end(): void };
}

/** The parts of amqplib's connection internals {@link installFrameWriter} relies on. */
interface ConnectionInternals {
  readonly channels: (ChannelRecord | null)[];
  readonly muxer: { readonly out: FrameSocket; unpipeFrom(readable: unknown): void };
  freshChannel(channel: unknown, options?: unknown): number;
}

/**
 * How many frames may wait for the next write before a publish reports
 * back-pressure (`false`, then a `drain` event on the channel): amqplib's own
 * bound on a channel's write buffer.
 */
const HIGH_WATER_MARK = 1024;

function internalsOf(model: ChannelModel): ConnectionInternals | undefined {
  const connection = (model as unknown as { connection?: Partial<ConnectionInternals> }).connection;
  if (connection === undefined || !Array.isArray(connection.channels)) return undefined;
  if (typeof connection.channels[0]?.buffer !== 'object') return undefined;
  if (typeof connection.freshChannel !== 'function') return undefined;
  const muxer = connection.muxer;
  if (muxer === undefined || typeof muxer.unpipeFrom !== 'function') return undefined;
  const socket = muxer.out as Partial<FrameSocket> | undefined;
  if (socket === undefined || typeof socket.write !== 'function' || typeof socket.once !== 'function') return undefined;
  if (typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') return undefined;
  return connection as ConnectionInternals;
}

/**
 * The frames the channels of one connection have sent in this turn of the
 * event loop, written to the socket together at its end (in one system call:
 * the socket is corked meanwhile), in the order they were sent.
 */
class FrameWriter {
  readonly #socket: FrameSocket;
  readonly #frames: Buffer[] = [];
  #flushScheduled = false;
  /** Channels told `false` (back-pressure): each is sent `drain` once the frames are out. */
  readonly #waitingForDrain = new Set<ChannelLike>();
  #drainAwaited = false;

  constructor(socket: FrameSocket) {
    this.#socket = socket;
  }

  /** Queues a frame of `channel`; `false` asks its publishers to wait for `drain`. */
  write(frame: Buffer, channel: ChannelLike): boolean {
    this.#frames.push(frame);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#flush);
    }
    if (this.#frames.length < HIGH_WATER_MARK && !this.#socket.writableNeedDrain) return true;
    this.#waitingForDrain.add(channel);
    return false;
  }

  /**
   * Writes a frame of the connection's own channel 0 (e.g. `connection.close`)
   * after the frames the channels sent before it, at once.
   */
  writeNow(frame: Buffer): boolean {
    if (this.#frames.length > 0) this.#flush();
    return this.#socket.write(frame);
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#frames.length === 0) return; // written already, before a frame of channel 0
    const socket = this.#socket;
    const frames = this.#frames.splice(0);
    // A connection that is gone takes its unsent frames with it (as amqplib does).
    if (socket.destroyed || socket.writableEnded) {
      this.#waitingForDrain.clear();
      return;
    }
    socket.cork();
    try {
      for (const frame of frames) socket.write(frame);
    } finally {
      socket.uncork();
    }
    if (this.#waitingForDrain.size === 0 || this.#drainAwaited) return;
    if (!socket.writableNeedDrain) {
      this.#notifyDrain();
      return;
    }
    this.#drainAwaited = true;
    socket.once('drain', () => {
      this.#drainAwaited = false;
      this.#notifyDrain();
    });
  };

  #notifyDrain(): void {
    const waiting = [...this.#waitingForDrain];
    this.#waitingForDrain.clear();
    for (const channel of waiting) channel.onBufferDrain();
  }
}

/**
 * Makes the channels of an amqplib connection hand their frames straight to a
 * {@link FrameWriter} instead of amqplib's per-channel object streams and
 * multiplexer. What is sent in one turn of the event loop still goes out at
 * its end, in one write (on loopback, each write wakes the broker), but
 * without a stream write, a stream read and their scheduled callbacks per
 * frame, which cost more than encoding the frame.
 *
 * Applies to the channels created from now on (call it before creating any).
 * A frame of the connection's own channel 0 (closing the connection, say)
 * goes out at once, after the frames the channels sent before it.
 * Returns `false`, changing nothing, if amqplib's internals are not as
 * expected (amqplib then works as it always does).
 */
export function installFrameWriter(model: ChannelModel): boolean {
  const connection = internalsOf(model);
  if (connection === undefined) return false;
  const writer = new FrameWriter(connection.muxer.out);
  connection.channels[0]!.buffer = { write: (frame: Buffer): boolean => writer.writeNow(frame), end: (): void => {} };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the connection as `this`
  const freshChannel = connection.freshChannel;
  connection.freshChannel = function (this: ConnectionInternals, channel: unknown, options?: unknown): number {
    const number = freshChannel.call(this, channel, options);
    const record = this.channels[number];
    if (record === null || record === undefined) return number;
    // The stream amqplib made for the channel is never written to: unhook it from the multiplexer.
    this.muxer.unpipeFrom(record.buffer);
    const owner = record.channel;
    record.buffer = {
      write: (frame: Buffer): boolean => writer.write(frame, owner),
      // amqplib ends a released channel's stream; its frames are already queued.
      end: (): void => {},
    };
    return number;
  };
  return true;
}
