import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPE,
  decodeBroadcast,
  decodeMessage,
  decodeReply,
  encodeMessage,
  MalformedMessage,
  VERSION_HEADER,
  WIRE_VERSION,
  type MessageKind,
} from './wire-format.js';

/** What a consumer would receive for a published message. */
function received(content: Buffer, properties: Record<string, unknown>): Message {
  return {
    content,
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q' },
    properties: {
      contentType: undefined,
      contentEncoding: undefined,
      headers: undefined,
      deliveryMode: undefined,
      priority: undefined,
      correlationId: undefined,
      replyTo: undefined,
      expiration: undefined,
      messageId: undefined,
      timestamp: undefined,
      type: undefined,
      userId: undefined,
      appId: undefined,
      clusterId: undefined,
      ...properties,
    },
  };
}

const roundTrip = (kind: MessageKind, value: unknown): Message => {
  const { content, properties } = encodeMessage(kind, value, { correlationId: 'c' });
  return received(content, properties as Record<string, unknown>);
};

describe('wire format', () => {
  it('tags messages with the content type, version and kind, keeping other properties', () => {
    const { properties } = encodeMessage('task', 1, { messageId: 'm', persistent: true });
    expect(properties).toMatchObject({
      contentType: CONTENT_TYPE,
      type: 'task',
      headers: { [VERSION_HEADER]: WIRE_VERSION },
      messageId: 'm',
      persistent: true,
    });
  });

  it('decodes what it encodes', () => {
    expect(decodeMessage(roundTrip('rpc', { at: new Date(5) }), 'rpc')).toEqual({ at: new Date(5) });
    expect(decodeBroadcast(roundTrip('broadcast', { body: 1, sender: 's', subject: undefined }))).toEqual({
      body: 1,
      sender: 's',
      subject: undefined,
      correlationId: undefined,
    });
    expect(decodeReply(roundTrip('reply', { status: 'result', value: [1] }))).toEqual({ status: 'result', value: [1] });
    const exception = decodeReply(roundTrip('reply', { status: 'exception', error: new TypeError('x') }));
    expect(exception.status === 'exception' && exception.error).toBeInstanceOf(TypeError);
  });

  it('refuses foreign content types, unknown versions, other kinds and bad bodies', () => {
    const valid = roundTrip('task', 1);
    const variants: Message[] = [
      received(valid.content, { ...valid.properties, contentType: 'application/json' }),
      received(valid.content, { ...valid.properties, contentType: undefined }),
      received(valid.content, { ...valid.properties, headers: { [VERSION_HEADER]: 2 } }),
      received(valid.content, { ...valid.properties, headers: undefined }),
      received(valid.content, { ...valid.properties, type: 'rpc' }),
      received(Buffer.from('{nope'), valid.properties as unknown as Record<string, unknown>),
    ];
    for (const message of variants) expect(() => decodeMessage(message, 'task')).toThrow(MalformedMessage);
    expect(() => decodeBroadcast(roundTrip('broadcast', 'not an envelope'))).toThrow(MalformedMessage);
    expect(() => decodeBroadcast(roundTrip('broadcast', { body: 1, sender: 5 }))).toThrow(MalformedMessage);
    expect(() => decodeReply(roundTrip('reply', { status: 'maybe' }))).toThrow(MalformedMessage);
    expect(() => decodeReply(roundTrip('reply', { status: 'exception', error: 'not an error' }))).toThrow(MalformedMessage);
  });
});
