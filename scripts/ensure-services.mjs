#!/usr/bin/env node
// Makes sure the servers the test suites start privately are installed:
//  - RabbitMQ (Debian's rabbitmq-server), openssl and pkill, installed with apt-get when missing and we are root;
//  - an S3-compatible server: moto_server on PATH, or s3rver from npm (a devDependency).
// Fails loudly with the reason when a server cannot be had; it never lets tests skip.
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const RABBITMQ = '/usr/lib/rabbitmq/bin/rabbitmq-server';

// What the test harness runs, and the Debian package that provides it.
const required = [
  { path: RABBITMQ, pkg: 'rabbitmq-server' },
  { path: '/usr/bin/openssl', pkg: 'openssl' }, // certificates for the TLS tests
  { path: '/usr/bin/pkill', pkg: 'procps' }, // the broker watchdog
];

function fail(message) {
  console.error(`ensure-services: ${message}`);
  process.exit(1);
}

const missing = required.filter(({ path }) => !existsSync(path));
if (missing.length > 0) {
  const pkgs = missing.map(({ pkg }) => pkg);
  if (process.getuid?.() !== 0) {
    fail(`missing ${missing.map(({ path }) => path).join(', ')} and this user is not root. Install with: sudo apt-get install -y ${pkgs.join(' ')}`);
  }
  console.log(`ensure-services: installing ${pkgs.join(', ')} from Debian packages...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  } catch (error) {
    fail(`apt-get could not install ${pkgs.join(', ')}: ${error.message}`);
  }
  for (const { path, pkg } of missing) {
    if (!existsSync(path)) fail(`${pkg} was installed but ${path} is missing`);
  }
}
console.log('ensure-services: RabbitMQ, openssl and pkill present');

// moto_server on the PATH, or in a pyenv installation (whose shims are on the
// PATH only in interactive shells); packages/testing/src/moto-binary.ts looks
// in the same places when it starts the server.
function findMotoServer() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'moto_server'))) return join(dir, 'moto_server');
  }
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (!existsSync(versions)) return undefined;
  for (const version of readdirSync(versions).sort().reverse()) {
    const candidate = join(versions, version, 'bin', 'moto_server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const moto = findMotoServer();
if (moto !== undefined) {
  console.log(`ensure-services: S3 server: ${moto}`);
} else if (existsSync(new URL('../node_modules/s3rver/package.json', import.meta.url))) {
  console.log('ensure-services: S3 server: s3rver (moto_server not found; the tests of conditional writes need moto and will fail)');
} else {
  fail('no S3-compatible server: neither moto_server on PATH nor s3rver in node_modules (run npm ci)');
}
