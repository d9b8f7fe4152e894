import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { probeAmqp } from './amqp-probe.js';
import { freePort } from './free-port.js';
import { processTree, signalProcess, signalProcessGroup, waitForExit } from './process-group.js';

const execFileAsync = promisify(execFile);

/** Where Debian's RabbitMQ keeps the scripts that run the broker directly (the /usr/sbin wrapper needs a service user). */
const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';
const HOST = '127.0.0.1';

/** Options of {@link startRabbitMqBroker}. */
export interface RabbitMqBrokerOptions {
  /** How long to wait for the broker to accept AMQP connections. Default 60 s. */
  startTimeoutMs?: number;
  /** How long a graceful {@link RabbitMqBroker.stop} may take before the broker is killed. Default 20 s. */
  stopTimeoutMs?: number;
  /**
   * RabbitMQ's `consumer_timeout` in ms: a channel holding an unacknowledged
   * delivery longer than this is closed by the broker (and the delivery requeued).
   * The broker checks it on every channel tick; set {@link channelTickIntervalMs}
   * too, or the check only runs once a minute. Default: RabbitMQ's (30 min).
   */
  consumerTimeoutMs?: number;
  /** RabbitMQ's `channel_tick_interval` (advanced.config) in ms. Default: RabbitMQ's (60 s). */
  channelTickIntervalMs?: number;
  /** The heartbeat (seconds) the broker proposes to clients; 0 disables. Default: RabbitMQ's (60 s). */
  heartbeatSeconds?: number;
  /** Credentials of the broker's default user (created on first start). Default `guest` / `guest`. */
  username?: string;
  /** See {@link username}. */
  password?: string;
  /** Also listen for AMQPS on another loopback port, with a freshly made self-signed CA and server certificate. */
  tls?: boolean;
  /** Extra `rabbitmq.conf` lines, `key = value`. */
  extraConfig?: Readonly<Record<string, string | number | boolean>>;
}

/** The TLS side of a broker started with `tls: true`. */
export interface RabbitMqBrokerTls {
  /** `amqps://user:pass@localhost:port` */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that signed the broker's certificate (pass it as `ca` to the client). */
  readonly ca: string;
}

/**
 * A private RabbitMQ broker on loopback ports, with its data in a temporary
 * directory. It can be stopped and started again on the same port with the same
 * data (durable queues and persistent messages survive).
 */
export interface RabbitMqBroker {
  /** `amqp://user:pass@127.0.0.1:port` — stays the same across restarts. */
  readonly url: string;
  /** The AMQP port. */
  readonly port: number;
  /** The Erlang node name, e.g. `plumpy-41234@localhost`. */
  readonly nodeName: string;
  /** The temporary directory holding the broker's config, data and logs. */
  readonly directory: string;
  /** Present when started with `tls: true`. */
  readonly tls: RabbitMqBrokerTls | undefined;
  /** Whether the broker process is running (it may still be booting during `start()`). */
  readonly running: boolean;
  /** Starts the broker again after `stop()` / `kill()` (same port, same data); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the broker gracefully (killing it if that takes too long) and waits until no broker process is left. Idempotent. */
  stop(): Promise<void>;
  /** Kills the broker at once (SIGKILL, like a crash) and waits until no broker process is left. Idempotent. */
  kill(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
  /** Stops the broker and deletes its directory; it cannot be started again. */
  dispose(): Promise<void>;
  /** Runs `rabbitmqctl <args>` against this broker and resolves with its standard output. */
  ctl(...args: string[]): Promise<string>;
  /** The last lines of the broker's log and console output (for error messages). */
  logTail(lines?: number): string;
}

/** The broker could not be started or stopped. */
export class RabbitMqBrokerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RabbitMqBrokerError';
  }
}

/** Brokers of this Node process that still have a directory; cleaned up when the process exits. */
const liveBrokers = new Set<Broker>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const broker of liveBrokers) broker.killAndRemoveSync();
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}

async function makeCertificates(directory: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(directory, 'ca.pem');
  const caKey = join(directory, 'ca-key.pem');
  const cert = join(directory, 'server.pem');
  const key = join(directory, 'server-key.pem');
  const csr = join(directory, 'server.csr');
  const ext = join(directory, 'server.ext');
  writeFileSync(ext, 'subjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = CA:FALSE\n');
  await execFileAsync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=plumpy-test-ca']);
  await execFileAsync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  await execFileAsync('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { ca, cert, key };
}

class Broker implements RabbitMqBroker {
  port = 0;
  distPort = 0;
  tlsPort = 0;
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private childExit: Promise<void> | undefined;
  private disposed = false;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly username: string;
  private readonly password: string;
  private readonly cookie = randomBytes(20).toString('hex');
  private certificates: { ca: string; cert: string; key: string } | undefined;

  constructor(
    readonly directory: string,
    private readonly options: RabbitMqBrokerOptions,
  ) {
    this.username = options.username ?? 'guest';
    this.password = options.password ?? 'guest';
  }

  get url(): string {
    return `amqp://${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}@${HOST}:${this.port}`;
  }

  get tls(): RabbitMqBrokerTls | undefined {
    if (!this.certificates) return undefined;
    const credentials = `${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}`;
    return { url: `amqps://${credentials}@localhost:${this.tlsPort}`, port: this.tlsPort, ca: readFileSync(this.certificates.ca, 'utf8') };
  }

  get nodeName(): string {
    return `plumpy-${this.port}@localhost`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Serialises start/stop/kill so that concurrent calls cannot interleave. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.busy.then(operation, operation);
    this.busy = result.catch(() => undefined);
    return result;
  }

  async initialise(): Promise<void> {
    mkdirSync(join(this.directory, 'home'));
    writeFileSync(join(this.directory, 'home', '.erlang.cookie'), this.cookie, { mode: 0o400 });
    writeFileSync(join(this.directory, 'enabled_plugins'), '[].\n');
    if (this.options.tls) this.certificates = await makeCertificates(this.directory);
    // The first start picks ports; a port taken by someone else in between is retried with new ones.
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort(HOST);
      this.distPort = await freePort(HOST);
      if (this.certificates) this.tlsPort = await freePort(HOST);
      try {
        await this.exclusive(() => this.launch());
        return;
      } catch (error) {
        if (attempt >= 3 || !/eaddrinuse/i.test(this.logTail(200))) throw error;
      }
    }
  }

  private environment(): NodeJS.ProcessEnv {
    const d = this.directory;
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: join(d, 'home'),
      RABBITMQ_NODE_IP_ADDRESS: HOST,
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_MNESIA_BASE: join(d, 'mnesia'),
      RABBITMQ_LOG_BASE: join(d, 'log'),
      RABBITMQ_CONFIG_FILE: join(d, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(d, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(d, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: join(d, 'rabbitmq-env.conf'),
      RABBITMQ_PID_FILE: join(d, 'rabbitmq.pid'),
      // Test machines are small and shared: Erlang's schedulers must not spin
      // waiting for work, taking the cores the tests themselves need.
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '+sbwt none +sbwtdcpu none +sbwtdio none',
    };
  }

  private writeConfig(): void {
    const { consumerTimeoutMs, channelTickIntervalMs, heartbeatSeconds, extraConfig } = this.options;
    const lines = [
      `listeners.tcp.default = ${HOST}:${this.port}`,
      'loopback_users = none',
      `default_user = ${this.username}`,
      `default_pass = ${this.password}`,
      // Test machines are small and shared: never block publishers on resource alarms.
      'disk_free_limit.absolute = 1MB',
      'vm_memory_high_watermark.relative = 0.9',
      'log.file.level = info',
      'log.console = false',
    ];
    if (consumerTimeoutMs !== undefined) lines.push(`consumer_timeout = ${consumerTimeoutMs}`);
    if (heartbeatSeconds !== undefined) lines.push(`heartbeat = ${heartbeatSeconds}`);
    if (this.certificates) {
      lines.push(
        `listeners.ssl.default = ${HOST}:${this.tlsPort}`,
        `ssl_options.cacertfile = ${this.certificates.ca}`,
        `ssl_options.certfile = ${this.certificates.cert}`,
        `ssl_options.keyfile = ${this.certificates.key}`,
        'ssl_options.verify = verify_none',
        'ssl_options.fail_if_no_peer_cert = false',
      );
    }
    for (const [key, value] of Object.entries(extraConfig ?? {})) lines.push(`${key} = ${String(value)}`);
    writeFileSync(join(this.directory, 'rabbitmq.conf'), `${lines.join('\n')}\n`);
    const rabbit = channelTickIntervalMs === undefined ? '' : `{rabbit, [{channel_tick_interval, ${channelTickIntervalMs}}]}`;
    writeFileSync(join(this.directory, 'advanced.config'), `[${rabbit}].\n`);
    writeFileSync(join(this.directory, 'rabbitmq-env.conf'), '');
  }

  private consoleLog(): string {
    return join(this.directory, 'console.log');
  }

  logTail(lines = 40): string {
    const nodeLog = tail(join(this.directory, 'log', `${this.nodeName}.log`), lines);
    const consoleOutput = tail(this.consoleLog(), lines);
    return `--- ${this.nodeName}.log ---\n${nodeLog}\n--- console ---\n${consoleOutput}`;
  }

  /** Spawns the broker and waits until it serves AMQP; on failure the broker is killed and the error names the log tail. */
  private async launch(): Promise<void> {
    if (this.disposed) throw new RabbitMqBrokerError('The broker has been disposed');
    if (this.child) return;
    this.writeConfig();
    const output = openSync(this.consoleLog(), 'a');
    let child: ChildProcess;
    try {
      child = spawn(join(RABBITMQ_BIN, 'rabbitmq-server'), [], {
        env: this.environment(),
        cwd: this.directory,
        detached: true, // its own process group, killed as a whole
        stdio: ['ignore', output, output],
      });
    } finally {
      closeSync(output);
    }
    child.unref();
    this.child = child;
    if (child.pid !== undefined) this.watchdog = startWatchdog(child.pid, this.directory);
    let exited = false;
    let spawnError: Error | undefined;
    this.childExit = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        spawnError = error;
        exited = true;
        resolve();
      });
      child.once('exit', () => {
        exited = true;
        resolve();
      });
    });
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let lastProbeError: unknown;
    for (;;) {
      if (exited) {
        await this.terminate('SIGKILL');
        const reason = spawnError ? `: ${spawnError.message}` : '';
        throw new RabbitMqBrokerError(`RabbitMQ exited during start-up${reason}\n${this.logTail(80)}`);
      }
      try {
        await probeAmqp({ host: HOST, port: this.port, username: this.username, password: this.password, timeoutMs: 5_000 });
        return;
      } catch (error) {
        lastProbeError = error;
      }
      if (Date.now() >= deadline) {
        await this.terminate('SIGKILL');
        const last = lastProbeError instanceof Error ? lastProbeError.message : String(lastProbeError);
        throw new RabbitMqBrokerError(`RabbitMQ did not accept connections within ${timeoutMs} ms (last probe: ${last})\n${this.logTail(80)}`);
      }
      await Promise.race([pause(200), this.childExit]);
    }
  }

  /**
   * Signals the broker's whole process tree, escalating to SIGKILL after the
   * grace period, and waits until none of it is alive.
   */
  private async terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const pgid = child.pid;
    if (pgid !== undefined) {
      const tree = processTree(pgid);
      signalProcessGroup(pgid, signal);
      if (signal === 'SIGKILL') for (const pid of tree) signalProcess(pid, 'SIGKILL');
      const graceMs = signal === 'SIGTERM' ? (this.options.stopTimeoutMs ?? 20_000) : 10_000;
      if (!(await waitForExit(tree, graceMs))) {
        signalProcessGroup(pgid, 'SIGKILL');
        for (const pid of processTree(pgid)) signalProcess(pid, 'SIGKILL');
        for (const pid of tree) signalProcess(pid, 'SIGKILL');
        if (!(await waitForExit(tree, 10_000))) {
          throw new RabbitMqBrokerError(`RabbitMQ processes ${tree.join(', ')} survived SIGKILL`);
        }
      }
    }
    await this.childExit;
    this.child = undefined;
    this.childExit = undefined;
    this.watchdog?.kill('SIGKILL');
    this.watchdog = undefined;
  }

  start(): Promise<void> {
    return this.exclusive(() => this.launch());
  }

  stop(): Promise<void> {
    return this.exclusive(() => this.terminate('SIGTERM'));
  }

  kill(): Promise<void> {
    return this.exclusive(() => this.terminate('SIGKILL'));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  dispose(): Promise<void> {
    return this.exclusive(async () => {
      await this.terminate('SIGTERM');
      this.disposed = true;
      liveBrokers.delete(this);
      rmSync(this.directory, { recursive: true, force: true, maxRetries: 3 });
    });
  }

  async ctl(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync(join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.nodeName, ...args], {
      env: this.environment(),
      cwd: this.directory,
      timeout: 60_000,
    });
    return stdout;
  }

  /** Last resort when the Node process exits: kill whatever is left and delete the directory. */
  killAndRemoveSync(): void {
    const pgid = this.child?.pid;
    if (pgid !== undefined) {
      const tree = processTree(pgid);
      signalProcessGroup(pgid, 'SIGKILL');
      for (const pid of tree) signalProcess(pid, 'SIGKILL');
    }
    try {
      rmSync(this.directory, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
}

/**
 * Starts a private RabbitMQ broker on free loopback ports (AMQP and Erlang
 * distribution), with its configuration, data, logs, Erlang cookie and `HOME`
 * in a fresh temporary directory, and resolves once it accepts AMQP
 * connections. Rejects with the broker's log tail if it cannot start within
 * `startTimeoutMs`.
 *
 * Starting takes seconds: start one broker per test file (`beforeAll`), not per
 * test, and `dispose()` (or `stop()`) it in `afterAll`. Brokers still running
 * when the Node process exits are killed and their directories deleted.
 *
 * @example
 * const broker = await startRabbitMqBroker({ consumerTimeoutMs: 5_000, channelTickIntervalMs: 500 });
 * const connection = await amqplib.connect(broker.url);
 * await broker.stop();  // ... later: await broker.start() — same port, same data
 */
export async function startRabbitMqBroker(options: RabbitMqBrokerOptions = {}): Promise<RabbitMqBroker> {
  installExitHook();
  const broker = new Broker(mkdtempSync(join(tmpdir(), 'plumpy-rabbitmq-')), options);
  liveBrokers.add(broker);
  try {
    await broker.initialise();
  } catch (error) {
    await broker.dispose().catch(() => undefined);
    throw error;
  }
  return broker;
}

/**
 * Starts a small shell process that outlives a crash of this Node process: when
 * this process is gone (killed without running its exit hooks, as a test runner
 * may do on a timeout), it kills the broker's process group and every process
 * whose command line names the broker's directory, so no broker is orphaned.
 */
function startWatchdog(brokerGroup: number, directory: string): ChildProcess {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `kill -KILL -- -${brokerGroup} 2>/dev/null`,
    `pkill -KILL -f "$1" 2>/dev/null`,
    'exit 0',
  ].join('; ');
  const watchdog = spawn('sh', ['-c', script, 'plumpy-broker-watchdog', directory], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}
