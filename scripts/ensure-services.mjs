#!/usr/bin/env node
// Makes sure the servers the test suites start privately are installed:
//  - RabbitMQ (Debian's rabbitmq-server), installed with apt-get when missing and we are root;
//  - an S3-compatible server: moto_server on PATH, or s3rver from npm (a devDependency).
// Fails loudly with the reason when a server cannot be had; it never lets tests skip.
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const RABBITMQ = '/usr/lib/rabbitmq/bin/rabbitmq-server';

function fail(message) {
  console.error(`ensure-services: ${message}`);
  process.exit(1);
}

if (!existsSync(RABBITMQ)) {
  if (process.getuid?.() !== 0) {
    fail(`RabbitMQ is missing (${RABBITMQ}) and this user is not root. Install it with: sudo apt-get install -y rabbitmq-server`);
  }
  console.log('ensure-services: installing rabbitmq-server from Debian packages...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'rabbitmq-server'], { stdio: 'inherit', env });
  } catch (error) {
    fail(`apt-get could not install rabbitmq-server: ${error.message}`);
  }
  if (!existsSync(RABBITMQ)) fail(`rabbitmq-server was installed but ${RABBITMQ} is missing`);
}
console.log('ensure-services: RabbitMQ present');

const moto = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
if (moto.status === 0) {
  console.log('ensure-services: S3 server: moto_server');
} else if (existsSync(new URL('../node_modules/s3rver/package.json', import.meta.url))) {
  console.log('ensure-services: S3 server: s3rver (moto_server not found)');
} else {
  fail('no S3-compatible server: neither moto_server on PATH nor s3rver in node_modules (run npm ci)');
}
