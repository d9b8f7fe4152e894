import type { ChannelModel } from 'amqplib';

/** The parts of amqplib's connection internals {@link batchSocketWrites} relies on. */
interface Muxer {
  _readIncoming(): void;
  readonly out: { cork(): void; uncork(): void };
}

function muxerOf(model: ChannelModel): Muxer | undefined {
  const connection = (model as unknown as { connection?: { muxer?: Partial<Muxer> } }).connection;
  const muxer = connection?.muxer;
  if (muxer === undefined || typeof muxer._readIncoming !== 'function') return undefined;
  const out = muxer.out;
  if (out === undefined || typeof out.cork !== 'function' || typeof out.uncork !== 'function') return undefined;
  return muxer as Muxer;
}

/**
 * Makes amqplib write the frames it has queued (from every channel of the
 * connection) to the socket in one system call instead of one call per frame:
 * its multiplexer's flush is wrapped in `cork()`/`uncork()` of the socket.
 *
 * amqplib flushes once per turn of the event loop; a worker that publishes
 * three broadcasts, a reply and an acknowledgement in one turn then costs one
 * write instead of five — on loopback, each write wakes the broker. Only this
 * connection's instance is changed. Returns `false` (and changes nothing) if
 * amqplib's internals are not as expected.
 */
export function batchSocketWrites(model: ChannelModel): boolean {
  const muxer = muxerOf(model);
  if (muxer === undefined) return false;
  const flush = muxer._readIncoming.bind(muxer);
  const socket = muxer.out;
  muxer._readIncoming = (): void => {
    socket.cork();
    try {
      flush();
    } finally {
      socket.uncork();
    }
  };
  return true;
}
