import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAmqp } from './amqp-probe.js';
import { RabbitMqBrokerError, startRabbitMqBroker, type RabbitMqBroker } from './rabbitmq-broker.js';

/** Pids of live beam.smp processes running the given Erlang node. */
function beamProcesses(nodeName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie && cmdline.includes('beam.smp') && environ.split('\0').includes(`RABBITMQ_NODENAME=${nodeName}`)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

const probe = (broker: RabbitMqBroker, username = 'plumpy', password = 's3cret/pass'): Promise<void> =>
  probeAmqp({ host: '127.0.0.1', port: broker.port, username, password });

describe('startRabbitMqBroker', () => {
  let broker: RabbitMqBroker;

  beforeAll(async () => {
    broker = await startRabbitMqBroker({
      username: 'plumpy',
      password: 's3cret/pass',
      consumerTimeoutMs: 5_000,
      channelTickIntervalMs: 500,
      heartbeatSeconds: 10,
      tls: true,
    });
  });

  afterAll(async () => {
    await broker.dispose();
  });

  it('serves AMQP on a loopback port with the configured credentials', async () => {
    expect(broker.running).toBe(true);
    expect(broker.url).toBe(`amqp://plumpy:s3cret%2Fpass@127.0.0.1:${broker.port}`);
    expect(broker.nodeName).toBe(`plumpy-${broker.port}@localhost`);
    await probe(broker);
    await expect(probe(broker, 'plumpy', 'wrong')).rejects.toThrow();
  });

  it('applies the consumer timeout, channel tick and heartbeat settings', async () => {
    const value = async (key: string): Promise<string> =>
      (await broker.ctl('eval', `application:get_env(rabbit, ${key}).`)).trim();
    expect(await value('consumer_timeout')).toBe('{ok,5000}');
    expect(await value('channel_tick_interval')).toBe('{ok,500}');
    expect(await value('heartbeat')).toBe('{ok,10}');
  });

  it('serves AMQPS with a certificate signed by the CA it exposes', async () => {
    const tls = broker.tls;
    expect(tls).toBeDefined();
    if (!tls) return;
    expect(tls.url).toBe(`amqps://plumpy:s3cret%2Fpass@localhost:${tls.port}`);
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = tlsConnect({ host: 'localhost', port: tls.port, ca: tls.ca }, () => {
        resolve(socket.authorized);
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(authorized).toBe(true);
  });

  it('stops without leaving a beam process and starts again on the same port with the same data', async () => {
    await broker.ctl('add_vhost', 'kept-across-restarts');
    const port = broker.port;
    expect(beamProcesses(broker.nodeName).length).toBe(1);

    await broker.stop();
    expect(broker.running).toBe(false);
    expect(beamProcesses(broker.nodeName)).toEqual([]);
    await expect(probe(broker)).rejects.toThrow();
    await broker.stop(); // idempotent

    await broker.start();
    expect(broker.port).toBe(port);
    await probe(broker);
    expect(await broker.ctl('list_vhosts')).toContain('kept-across-restarts');
  });

  it('survives being killed like a crash and restarted', async () => {
    await broker.kill();
    expect(beamProcesses(broker.nodeName)).toEqual([]);
    await expect(probe(broker)).rejects.toThrow();

    await broker.start();
    await probe(broker);
    expect(await broker.ctl('list_vhosts')).toContain('kept-across-restarts');
  });

  it('restarts in one call', async () => {
    await broker.restart();
    expect(beamProcesses(broker.nodeName).length).toBe(1);
    await probe(broker);
  });
});

describe('startRabbitMqBroker failures', () => {
  it('rejects with the broker log when the broker cannot start, leaving nothing behind', async () => {
    const failure = await startRabbitMqBroker({ extraConfig: { 'no_such.setting': 'nonsense' } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RabbitMqBrokerError);
    expect((failure as Error).message).toMatch(/exited during start-up/);
    expect((failure as Error).message).toMatch(/no_such\.setting/);
  });

  it('deletes its directory on dispose', async () => {
    const broker = await startRabbitMqBroker();
    const { directory, nodeName } = broker;
    expect(existsSync(directory)).toBe(true);
    await broker.dispose();
    expect(existsSync(directory)).toBe(false);
    expect(beamProcesses(nodeName)).toEqual([]);
    await expect(broker.start()).rejects.toThrow(RabbitMqBrokerError);
  });
});
