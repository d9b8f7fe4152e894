import { describe, expect, it } from 'vitest';
import { FORCE_KILL_KEY, INTENT_KEY, Intent, MESSAGE_KEY } from './intent.js';
import { MessageBuilder } from './message-builder.js';

describe('MessageBuilder', () => {
  it('builds the status message', () => {
    expect(MessageBuilder.status()).toEqual({ intent: 'status', message: null });
  });

  it('builds pause and play messages with an optional text', () => {
    expect(MessageBuilder.pause()).toEqual({ intent: 'pause', message: null });
    expect(MessageBuilder.pause("Slow yo' roll")).toEqual({ intent: 'pause', message: "Slow yo' roll" });
    expect(MessageBuilder.play()).toEqual({ intent: 'play', message: null });
  });

  it('builds kill messages with a text and the force flag', () => {
    expect(MessageBuilder.kill()).toEqual({ intent: 'kill', message: null, force_kill: false });
    expect(MessageBuilder.kill('bang bang, I shot you down', true)).toEqual({
      intent: 'kill',
      message: 'bang bang, I shot you down',
      force_kill: true,
    });
  });

  it('uses the wire keys and intents of plumpy', () => {
    const msg = MessageBuilder.kill('x', true);
    expect(Object.keys(msg).sort()).toEqual([FORCE_KILL_KEY, INTENT_KEY, MESSAGE_KEY].sort());
    expect([INTENT_KEY, MESSAGE_KEY, FORCE_KILL_KEY]).toEqual(['intent', 'message', 'force_kill']);
    expect(Intent).toEqual({ PLAY: 'play', PAUSE: 'pause', KILL: 'kill', STATUS: 'status' });
  });

  it('builds plain data that survives JSON', () => {
    for (const msg of [MessageBuilder.status(), MessageBuilder.pause('p'), MessageBuilder.play(), MessageBuilder.kill('k')]) {
      expect(JSON.parse(JSON.stringify(msg))).toEqual(msg);
    }
  });
});
