import { describe, expect, it } from 'vitest';
import { connectionUrl } from './connection-url.js';

describe('connectionUrl', () => {
  it('adds the heartbeat unless the URL names one, keeping credentials, vhost and TLS', () => {
    expect(connectionUrl('amqp://u:p@host:5672/vh', 30)).toBe('amqp://u:p@host:5672/vh?heartbeat=30');
    expect(connectionUrl('amqps://host/?frameMax=8192', 5)).toBe('amqps://host/?frameMax=8192&heartbeat=5');
    expect(connectionUrl('amqp://host?heartbeat=7', 30)).toBe('amqp://host?heartbeat=7');
  });

  it('refuses what is not an AMQP URL', () => {
    expect(() => connectionUrl('not a url', 1)).toThrow(TypeError);
    expect(() => connectionUrl('https://host', 1)).toThrow(/amqp/);
  });
});
