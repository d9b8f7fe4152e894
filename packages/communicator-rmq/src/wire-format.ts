import type { Message, Options } from 'amqplib';
import { decodeValue, encodeValue } from './codec.js';

/** The AMQP `content_type` of every message this package sends. */
export const CONTENT_TYPE = 'application/x-plumpy-ts+json';
/** The header naming the version of the message format. */
export const VERSION_HEADER = 'x-plumpy-ts-version';
/**
 * The newest version of the message format, which this package reads (with
 * every older one) and writes. Version 2 added broadcast batches; a message
 * carries the lowest version that can read it, so every other kind still says 1.
 */
export const WIRE_VERSION = 2;

/** What a message is; sent as the AMQP `type` property. `broadcasts` is a batch of broadcasts (version 2). */
export type MessageKind = 'rpc' | 'task' | 'broadcast' | 'broadcasts' | 'reply';

/** The body of a broadcast message. */
export interface BroadcastEnvelope {
  body: unknown;
  sender: string | undefined;
  subject: string | undefined;
  correlationId: string | undefined;
}

/** The body of a reply to an RPC or a task. */
export type ReplyEnvelope =
  | { status: 'result'; value: unknown }
  | { status: 'exception'; error: Error }
  | { status: 'unroutable'; message: string };

/** A received message is not one this package understands; it is rejected (dead-lettered if configured). */
export class MalformedMessage extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedMessage';
  }
}

/** An encoded message: its body and the properties that tag it. */
export interface OutgoingMessage {
  content: Buffer;
  properties: Options.Publish;
}

/** The properties a sender sets on a message, besides the tags every message gets. */
export type MessageFields = Pick<
  Options.Publish,
  'correlationId' | 'replyTo' | 'messageId' | 'persistent' | 'mandatory' | 'timestamp' | 'expiration'
>;

/** The headers of messages of version 1 and 2 (shared and frozen: amqplib only reads them). */
const VERSION_1_HEADERS: Readonly<Record<string, number>> = Object.freeze({ [VERSION_HEADER]: 1 });
const VERSION_2_HEADERS: Readonly<Record<string, number>> = Object.freeze({ [VERSION_HEADER]: 2 });
const NO_FIELDS: MessageFields = {};

/** The publish properties of a message of `kind`: `fields` plus the content type, kind and version tags. */
export function messageProperties(kind: MessageKind, fields: MessageFields = NO_FIELDS): Options.Publish {
  // One object literal of one shape for every message (a spread of the callers' varied shapes costs more).
  return {
    contentType: CONTENT_TYPE,
    type: kind,
    headers: kind === 'broadcasts' ? VERSION_2_HEADERS : VERSION_1_HEADERS,
    correlationId: fields.correlationId,
    replyTo: fields.replyTo,
    messageId: fields.messageId,
    persistent: fields.persistent,
    mandatory: fields.mandatory,
    timestamp: fields.timestamp,
    expiration: fields.expiration,
  };
}

/** The publish properties of every broadcast (shared: they never change). */
const BROADCAST_PROPERTIES: Options.Publish = messageProperties('broadcast');
/** The publish properties of every broadcast batch. */
const BROADCAST_BATCH_PROPERTIES: Options.Publish = messageProperties('broadcasts');

/** The JSON text of a broadcast envelope. @throws TypeError if the body cannot be encoded */
export function encodeBroadcastText(
  body: unknown,
  sender: string | undefined,
  subject: string | undefined,
  correlationId: string | undefined,
): string {
  const envelope: BroadcastEnvelope = { body, sender, subject, correlationId };
  return encodeValue(envelope);
}

/**
 * The message that carries the broadcasts whose envelopes are `texts` (from
 * {@link encodeBroadcastText}), in order: a `broadcast` message for one, a
 * `broadcasts` batch (a JSON array of the envelopes) for several.
 */
export function broadcastMessage(texts: readonly string[]): OutgoingMessage {
  if (texts.length === 1) return { content: Buffer.from(texts[0]!, 'utf8'), properties: BROADCAST_PROPERTIES };
  return { content: Buffer.from(`[${texts.join(',')}]`, 'utf8'), properties: BROADCAST_BATCH_PROPERTIES };
}

/** Encodes a message body. @throws TypeError if the value cannot be encoded (e.g. a cycle) */
export function encodeBody(value: unknown): Buffer {
  return Buffer.from(encodeValue(value), 'utf8');
}

/** Encodes `value` as a message of `kind`. @throws TypeError if the value cannot be encoded (e.g. a cycle) */
export function encodeMessage(kind: MessageKind, value: unknown, fields: MessageFields = NO_FIELDS): OutgoingMessage {
  return { content: encodeBody(value), properties: messageProperties(kind, fields) };
}

/**
 * Checks that `message` is a message of `kind` in this package's format and
 * decodes its body.
 * @throws MalformedMessage naming what is wrong
 */
export function decodeMessage(message: Message, kind: MessageKind): unknown {
  const { contentType, headers, type } = message.properties as {
    contentType: unknown;
    headers: Record<string, unknown> | undefined;
    type: unknown;
  };
  if (contentType !== CONTENT_TYPE) throw new MalformedMessage(`unknown content type ${JSON.stringify(contentType)}`);
  const version: unknown = headers?.[VERSION_HEADER];
  if (version !== 1 && version !== WIRE_VERSION) {
    throw new MalformedMessage(`unsupported message format version ${JSON.stringify(version)}`);
  }
  if (type !== kind) throw new MalformedMessage(`expected a '${kind}' message, got ${JSON.stringify(type)}`);
  try {
    return decodeValue(message.content.toString('utf8'));
  } catch (error) {
    throw new MalformedMessage(`undecodable body: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';

function checkEnvelope(value: unknown): BroadcastEnvelope {
  if (
    !isRecord(value) ||
    !optionalString(value.sender) ||
    !optionalString(value.subject) ||
    !optionalString(value.correlationId)
  ) {
    throw new MalformedMessage('a broadcast body must be { body, sender?, subject?, correlationId? }');
  }
  return { body: value.body, sender: value.sender, subject: value.subject, correlationId: value.correlationId };
}

/** Decodes a broadcast message. @throws MalformedMessage */
export function decodeBroadcast(message: Message): BroadcastEnvelope {
  return checkEnvelope(decodeMessage(message, 'broadcast'));
}

/** Decodes a broadcast message or a batch of them into the broadcasts, in order. @throws MalformedMessage */
export function decodeBroadcasts(message: Message): BroadcastEnvelope[] {
  if ((message.properties as { type?: unknown }).type !== 'broadcasts') return [decodeBroadcast(message)];
  const value = decodeMessage(message, 'broadcasts');
  if (!Array.isArray(value) || value.length === 0) throw new MalformedMessage('a broadcast batch must be a non-empty array');
  return value.map(checkEnvelope);
}

/** Decodes a reply message. @throws MalformedMessage */
export function decodeReply(message: Message): ReplyEnvelope {
  const value = decodeMessage(message, 'reply');
  if (isRecord(value)) {
    if (value.status === 'result') return { status: 'result', value: value.value };
    if (value.status === 'exception' && value.error instanceof Error) return { status: 'exception', error: value.error };
    if (value.status === 'unroutable' && typeof value.message === 'string') return { status: 'unroutable', message: value.message };
  }
  throw new MalformedMessage('a reply body must be a result, an exception or unroutable');
}
