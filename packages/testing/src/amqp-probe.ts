import { connect, type Socket } from 'node:net';

/** Options of {@link probeAmqp}. */
export interface AmqpProbeOptions {
  host: string;
  port: number;
  /** Default `guest`. */
  username?: string;
  /** Default `guest`. */
  password?: string;
  /** Default `/`. */
  vhost?: string;
  /** Gives up after this long. Default 5 s. */
  timeoutMs?: number;
}

const FRAME_METHOD = 1;
const FRAME_END = 0xce;
const CONNECTION_CLASS = 10;
const START = 10;
const START_OK = 11;
const TUNE = 30;
const TUNE_OK = 31;
const OPEN = 40;
const OPEN_OK = 41;
const CLOSE = 50;
const CLOSE_OK = 51;

function shortString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function longString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function methodFrame(methodId: number, args: Buffer): Buffer {
  const payload = Buffer.alloc(4 + args.length);
  payload.writeUInt16BE(CONNECTION_CLASS, 0);
  payload.writeUInt16BE(methodId, 2);
  args.copy(payload, 4);
  const header = Buffer.alloc(7);
  header.writeUInt8(FRAME_METHOD, 0);
  header.writeUInt16BE(0, 1);
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([FRAME_END])]);
}

function startOk(username: string, password: string): Buffer {
  const emptyTable = Buffer.alloc(4);
  return methodFrame(
    START_OK,
    Buffer.concat([emptyTable, shortString('PLAIN'), longString(`\0${username}\0${password}`), shortString('en_US')]),
  );
}

function tuneOk(channelMax: number, frameMax: number): Buffer {
  const args = Buffer.alloc(8);
  args.writeUInt16BE(channelMax, 0);
  args.writeUInt32BE(frameMax, 2);
  args.writeUInt16BE(0, 6); // no heartbeats for a probe
  return methodFrame(TUNE_OK, args);
}

function open(vhost: string): Buffer {
  return methodFrame(OPEN, Buffer.concat([shortString(vhost), shortString(''), Buffer.from([0])]));
}

function close(): Buffer {
  const args = Buffer.alloc(2 + 1 + 4);
  args.writeUInt16BE(200, 0);
  args.writeUInt8(0, 2); // empty reply text
  args.writeUInt16BE(0, 3);
  args.writeUInt16BE(0, 5);
  return methodFrame(CLOSE, args);
}

interface ConnectionMethod {
  methodId: number;
  args: Buffer;
}

/** Splits complete AMQP frames off a growing buffer; returns connection-class methods and the unconsumed rest. */
function takeFrames(buffer: Buffer): { methods: ConnectionMethod[]; rest: Buffer } {
  const methods: ConnectionMethod[] = [];
  let offset = 0;
  while (buffer.length - offset >= 8) {
    const type = buffer.readUInt8(offset);
    const size = buffer.readUInt32BE(offset + 3);
    if (buffer.length - offset < 8 + size) break;
    const payload = buffer.subarray(offset + 7, offset + 7 + size);
    if (buffer.readUInt8(offset + 7 + size) !== FRAME_END) throw new Error('AMQP probe: malformed frame from the server');
    if (type === FRAME_METHOD && payload.readUInt16BE(0) === CONNECTION_CLASS) {
      methods.push({ methodId: payload.readUInt16BE(2), args: payload.subarray(4) });
    }
    offset += 8 + size;
  }
  return { methods, rest: buffer.subarray(offset) };
}

/**
 * Opens an AMQP 0-9-1 connection far enough to prove the broker serves clients:
 * the handshake runs up to `connection.open-ok` for the vhost, then the
 * connection is closed. Resolves when that succeeded; rejects otherwise.
 * Needs no AMQP client library.
 */
export async function probeAmqp(options: AmqpProbeOptions): Promise<void> {
  const { host, port, username = 'guest', password = 'guest', vhost = '/', timeoutMs = 5_000 } = options;
  const socket: Socket = connect({ host, port });
  try {
    await new Promise<void>((resolve, reject) => {
      let pending: Buffer = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error(`AMQP probe: no handshake within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', fail);
      socket.once('close', () => fail(new Error('AMQP probe: the server closed the connection')));
      socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
      socket.on('data', (chunk: Buffer) => {
        try {
          const { methods, rest } = takeFrames(Buffer.concat([pending, chunk]));
          pending = rest;
          for (const { methodId, args } of methods) {
            if (methodId === START) socket.write(startOk(username, password));
            else if (methodId === TUNE) socket.write(Buffer.concat([tuneOk(args.readUInt16BE(0), args.readUInt32BE(2)), open(vhost)]));
            else if (methodId === OPEN_OK) socket.write(close());
            else if (methodId === CLOSE_OK) {
              clearTimeout(timer);
              resolve();
            } else if (methodId === CLOSE) {
              const code = args.readUInt16BE(0);
              const text = args.subarray(3, 3 + args.readUInt8(2)).toString('utf8');
              fail(new Error(`AMQP probe: the server refused the connection (${code} ${text})`));
            }
          }
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  } finally {
    socket.destroy();
  }
}
