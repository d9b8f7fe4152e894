import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMotoServer } from './moto-binary.js';

/** Which S3-compatible server runs. */
export type S3ServerKind = 'moto' | 's3rver';

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Run this server only; default: `moto_server` if it starts, else `s3rver`. */
  readonly kind?: S3ServerKind;
  /** How long to wait for the server to answer, in ms (default 60 000). */
  readonly startTimeoutMs?: number;
}

/** A private S3-compatible server on loopback, for tests. */
export interface S3Server {
  /** The server that runs. */
  readonly kind: S3ServerKind;
  /** `http://127.0.0.1:<port>`: pass as `endpoint` with `forcePathStyle: true`. */
  readonly endpoint: string;
  /** The region to configure clients with. */
  readonly region: string;
  /** Dummy credentials the server accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Whether the server honours `If-None-Match` / `If-Match` on PutObject (moto does, s3rver does not). */
  readonly conditionalWrites: boolean;
  /** Deletes every bucket and object. */
  reset(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const credentials = { accessKeyId: 'plumpy-test', secretAccessKey: 'plumpy-test-secret' };

/**
 * Starts an S3-compatible server on a free loopback port and waits until it
 * answers: `moto_server` (Python; honours conditional writes) when it is on the
 * PATH or in a pyenv installation, else `s3rver` from npm. Rejects with a message naming what was tried
 * when neither starts, so tests never skip silently.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const kinds: S3ServerKind[] = options.kind === undefined ? ['moto', 's3rver'] : [options.kind];
  const failures: string[] = [];
  for (const kind of kinds) {
    try {
      return await (kind === 'moto' ? startMoto(options) : startS3rver(options));
    } catch (error) {
      failures.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`Could not start an S3-compatible test server.\n${failures.join('\n')}`);
}

async function startMoto(options: S3ServerOptions): Promise<S3Server> {
  const moto = findMotoServer();
  if (moto === undefined) throw new Error('moto_server is neither on the PATH nor in a pyenv installation');
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const child = spawn(moto, ['-H', HOST, '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
  });
  await waitUntilAnswering(child, endpoint, 'moto_server', options.startTimeoutMs);
  return {
    kind: 'moto',
    endpoint,
    region: 'us-east-1',
    credentials,
    conditionalWrites: true,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
    },
    stop: () => stopChild(child),
  };
}

async function startS3rver(options: S3ServerOptions): Promise<S3Server> {
  const require = createRequire(import.meta.url);
  let bin: string;
  try {
    bin = join(require.resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');
  } catch {
    throw new Error('the s3rver package is not installed');
  }
  const directory = mkdtempSync(join(tmpdir(), 'plumpy-s3rver-'));
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim();
  const child = spawn(process.execPath, [bin, '-d', directory, '-a', HOST, '-p', String(port), '--silent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  try {
    await waitUntilAnswering(child, endpoint, 's3rver', options.startTimeoutMs);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: 's3rver',
    endpoint,
    region: 'us-east-1',
    credentials,
    conditionalWrites: false,
    reset: () => {
      for (const entry of readdirSync(directory)) rmSync(join(directory, entry), { recursive: true, force: true });
      return Promise.resolve();
    },
    stop: async () => {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Resolves once the server answers HTTP; rejects if it exits or the timeout passes, with its output. */
async function waitUntilAnswering(child: ChildProcess, endpoint: string, name: string, timeoutMs = 60_000): Promise<void> {
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    exited = `exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  };
  const onError = (error: Error): void => {
    exited = `could not be started (${error.message})`;
  };
  child.once('exit', onExit);
  child.once('error', onError);
  const deadline = Date.now() + timeoutMs;
  try {
    while (exited === undefined) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw new Error(`${name} did not answer on ${endpoint} within ${timeoutMs} ms. Output:\n${output}`);
      }
      try {
        await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2000) });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`${name} ${exited}. Output:\n${output}`);
  } finally {
    child.off('exit', onExit);
    child.off('error', onError);
    child.stdout?.off('data', collect);
    child.stderr?.off('data', collect);
    child.stdout?.resume();
    child.stderr?.resume();
  }
}

/** Stops a server started in its own process group: SIGTERM, then SIGKILL after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** A TCP port on loopback that nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port was assigned'))));
    });
  });
}
