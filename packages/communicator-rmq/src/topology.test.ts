import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { rpcRoutingKey, taskQueueArguments } from './topology.js';

describe('topology', () => {
  it('escapes topic wildcards in RPC routing keys so an identifier only matches itself', () => {
    expect(rpcRoutingKey('42')).toBe('rpc.42');
    expect(rpcRoutingKey('a.b')).toBe('rpc.a.b');
    expect(rpcRoutingKey('*.#%')).toBe('rpc.%2A.%23%25');
  });

  it('sets the dead-letter exchange and consumer timeout on the task queue only when configured', () => {
    expect(taskQueueArguments(resolveOptions({}, 'id'))).toEqual({});
    expect(taskQueueArguments(resolveOptions({ deadLetterExchange: 'dlx', consumerTimeoutMs: 5 }, 'id'))).toEqual({
      'x-dead-letter-exchange': 'dlx',
      'x-consumer-timeout': 5,
    });
  });
});
