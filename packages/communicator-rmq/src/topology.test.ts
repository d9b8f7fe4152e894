import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { rpcIdentifier, rpcRoutingKey, taskQueueArguments } from './topology.js';

describe('topology', () => {
  it('escapes topic wildcards in RPC routing keys so an identifier only matches itself', () => {
    expect(rpcRoutingKey('42')).toBe('rpc.42');
    expect(rpcRoutingKey('a.b')).toBe('rpc.a.b');
    expect(rpcRoutingKey('*.#%')).toBe('rpc.%2A.%23%25');
  });

  it('recovers the identifier from an RPC routing key', () => {
    for (const identifier of ['42', 'a.b', '*.#%', '%2A', 'x%25y']) expect(rpcIdentifier(rpcRoutingKey(identifier))).toBe(identifier);
    expect(rpcIdentifier('broadcast')).toBeUndefined();
  });

  it('sets the dead-letter exchange and consumer timeout on the task queue only when configured', () => {
    expect(taskQueueArguments(resolveOptions({}, 'id'))).toEqual({});
    expect(taskQueueArguments(resolveOptions({ deadLetterExchange: 'dlx', consumerTimeoutMs: 5 }, 'id'))).toEqual({
      'x-dead-letter-exchange': 'dlx',
      'x-consumer-timeout': 5,
    });
  });
});
