import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import {
  broadcastMessage,
  CONTENT_TYPE,
  decodeBroadcast,
  decodeBroadcasts,
  encodeBroadcastText,
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
      headers: { [VERSION_HEADER]: 1 },
      messageId: 'm',
      persistent: true,
    });
  });

  it('sends one broadcast as a version 1 message and several as a version 2 batch, read back in order', () => {
    const first = encodeBroadcastText({ n: 1 }, 's', 'state_changed.a.b', undefined);
    const second = encodeBroadcastText(new Date(7), undefined, undefined, 'c');
    const single = broadcastMessage([first]);
    expect(single.properties).toMatchObject({ type: 'broadcast', headers: { [VERSION_HEADER]: 1 } });
    expect(decodeBroadcasts(received(single.content, single.properties as Record<string, unknown>))).toEqual([
      { body: { n: 1 }, sender: 's', subject: 'state_changed.a.b', correlationId: undefined },
    ]);
    const batch = broadcastMessage([first, second, first]);
    expect(batch.properties).toMatchObject({ type: 'broadcasts', headers: { [VERSION_HEADER]: WIRE_VERSION } });
    expect(WIRE_VERSION).toBe(2);
    const decoded = decodeBroadcasts(received(batch.content, batch.properties as Record<string, unknown>));
    expect(decoded.map((b) => b.body)).toEqual([{ n: 1 }, new Date(7), { n: 1 }]);
    expect(decoded[1]).toEqual({ body: new Date(7), sender: undefined, subject: undefined, correlationId: 'c' });
  });

  it('refuses a batch that is not a non-empty array of broadcast envelopes', () => {
    const batch = broadcastMessage(['{"body":1}', '{"body":2}']);
    const properties = batch.properties as Record<string, unknown>;
    for (const body of ['[]', '{"body":1}', '[{"body":1},{"body":2,"sender":5}]', '[1]']) {
      expect(() => decodeBroadcasts(received(Buffer.from(body), properties))).toThrow(MalformedMessage);
    }
    // A batch is not a single broadcast, nor the other way round.
    expect(() => decodeBroadcast(received(batch.content, properties))).toThrow(MalformedMessage);
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
      received(valid.content, { ...valid.properties, headers: { [VERSION_HEADER]: 3 } }),
      received(valid.content, { ...valid.properties, headers: { [VERSION_HEADER]: 0 } }),
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
