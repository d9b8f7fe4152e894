// One-off generator for the package skeletons (kept for adding packages later).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { packageGraph, npmName, testkitPeers } from './package-graph.mjs';

const descriptions = {
  'state-machine': 'A small, typed, dependency-free finite state machine with enter/exit hooks and transition events.',
  ports: 'Input/output ports, namespaces and process specs with validation, defaults and descriptions.',
  persistence: 'Savable bundles, class registry, persister interface, in-memory persister and the persister conformance testkit.',
  'persistence-file': 'A file-system checkpoint persister for plumpy-ts (one file per checkpoint, atomic writes).',
  'persistence-s3': 'An S3 (and S3-compatible) checkpoint persister for plumpy-ts with conditional writes.',
  communicator: 'The Communicator interface (RPC, tasks, broadcasts), an in-process LocalCommunicator and the conformance testkit.',
  'communicator-rmq': 'A RabbitMQ Communicator for plumpy-ts over amqplib: durable tasks, RPC, broadcasts, recovery.',
  process: 'Process: a persistable finite-state-machine with validated ports, commands, pause/play/kill and listeners.',
  workchain: 'WorkChain: processes that run an outline of steps with conditionals, loops and awaited children.',
  controllers: 'Remote control of processes: RemoteProcessController, ProcessLauncher, MessageBuilder and a worker.',
  'plumpy-ts': 'plumpy-ts: persistable, remotely controllable workflows for TypeScript (all packages in one install).',
};
const externalVersions = {
  superjson: '^2.2.6',
  amqplib: '^2.3.1',
  '@aws-sdk/client-s3': '^3.1169.0',
  uuid: '^14.0.3',
};

for (const [dir, { siblings, external }] of Object.entries(packageGraph)) {
  const root = `packages/${dir}`;
  mkdirSync(`${root}/src`, { recursive: true });
  const dependencies = {};
  for (const s of siblings) dependencies[npmName(s)] = '0.0.0';
  for (const e of external) dependencies[e] = externalVersions[e];
  const hasTestkit = Boolean(testkitPeers[dir]);
  const exports = {
    '.': { '@plumpy-ts/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    ...(hasTestkit
      ? { './testkit': { '@plumpy-ts/source': './src/testkit/index.ts', types: './dist/testkit/index.d.ts', default: './dist/testkit/index.js' } }
      : {}),
    './package.json': './package.json',
  };
  const pkg = {
    name: npmName(dir),
    version: '0.0.0',
    description: descriptions[dir],
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    exports,
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'src', '!src/**/*.test.ts', '!dist/**/*.test.*', 'README.md', 'CHANGELOG.md'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json',
      lint: 'eslint src',
      test: 'vitest run',
    },
    publishConfig: { access: 'public' },
    keywords: ['plumpy', 'workflow', 'process', 'state-machine'],
    dependencies,
    ...(hasTestkit
      ? { peerDependencies: { vitest: '^4.1.0' }, peerDependenciesMeta: { vitest: { optional: true } } }
      : {}),
  };
  if (!existsSync(`${root}/package.json`)) writeFileSync(`${root}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
  const write = (file, text) => { if (!existsSync(`${root}/${file}`)) writeFileSync(`${root}/${file}`, text); };
  write('tsconfig.json', JSON.stringify({
    extends: '../../tsconfig.base.json',
    compilerOptions: { noEmit: true, customConditions: ['@plumpy-ts/source'] },
    include: ['src', 'vitest.config.ts'],
  }, null, 2) + '\n');
  write('tsconfig.build.json', JSON.stringify({
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist' },
    include: ['src'],
    exclude: ['src/**/*.test.ts', 'src/**/__tests__/**'],
  }, null, 2) + '\n');
  write('vitest.config.ts', `import { defineConfig } from 'vitest/config';\nimport { sharedTestConfig } from '../../vitest.shared.js';\n\nexport default defineConfig(sharedTestConfig);\n`);
  write('typedoc.json', JSON.stringify({
    $schema: 'https://typedoc.org/schema.json',
    extends: ['../../typedoc.base.json'],
    entryPoints: hasTestkit ? ['src/index.ts', 'src/testkit/index.ts'] : ['src/index.ts'],
    tsconfig: 'tsconfig.build.json',
  }, null, 2) + '\n');
  write('README.md', `# ${npmName(dir)}\n\n${descriptions[dir]}\n\n\`\`\`sh\nnpm install ${npmName(dir)}\n\`\`\`\n`);
  write('src/index.ts', `export {};\n`);
}
