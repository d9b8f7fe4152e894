import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { RabbitMqBroker } from '@plumpy-ts/testing';
import type { RmqLogger } from '../options.js';

/** One message a {@link RecordingLogger} received. */
export interface LogEntry {
  level: 'error' | 'warn';
  message: string;
  error: unknown;
}

/** A logger that records what it is told and lets a test wait for an entry. */
export interface RecordingLogger extends RmqLogger {
  readonly entries: LogEntry[];
  /** Resolves once an entry satisfying `condition` was logged (or was already). */
  until(condition: (entry: LogEntry) => boolean): Promise<LogEntry>;
}

/** Creates a {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const waiters: Array<{ condition: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }> = [];
  const record = (level: LogEntry['level']) => (message: string, error?: unknown) => {
    const entry = { level, message, error };
    entries.push(entry);
    for (const waiter of [...waiters]) {
      if (waiter.condition(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  };
  return {
    entries,
    error: record('error'),
    warn: record('warn'),
    until(condition) {
      const found = entries.find(condition);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ condition, resolve }));
    },
  };
}

/** A plain amqplib connection and channel for poking at the broker directly. */
export async function adminChannel(url: string): Promise<{ connection: ChannelModel; channel: Channel }> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  return { connection, channel };
}

/** Closes, from the broker's side, the client connection named `connectionName` (as if its network died). */
export async function closeConnectionByName(broker: RabbitMqBroker, connectionName: string): Promise<void> {
  // One line per connection: `<pid>\t<client properties>`; the pid is in the form close_connection takes.
  const output = await broker.ctl('list_connections', 'pid', 'client_properties', '--silent');
  const line = output.split('\n').find((l) => l.includes(`"${connectionName}"`));
  const pid = line?.split('\t')[0]?.trim();
  if (pid === undefined || pid === '') throw new Error(`No broker connection named '${connectionName}' in:\n${output}`);
  await broker.ctl('close_connection', pid, 'test: the connection dies');
}
