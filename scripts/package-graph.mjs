// The contract's dependency table (shared/contract/API.md, "Packages").
// `siblings`: the workspace packages a package may import; `external`: the
// third-party packages it may import. scripts/check-deps.mjs enforces both.
export const packageGraph = {
  'state-machine': { siblings: [], external: [] },
  ports: { siblings: [], external: [] },
  persistence: { siblings: [], external: ['superjson'] },
  'persistence-file': { siblings: ['persistence'], external: [] },
  'persistence-s3': { siblings: ['persistence'], external: ['@aws-sdk/client-s3'] },
  communicator: { siblings: [], external: [] },
  'communicator-rmq': { siblings: ['communicator'], external: ['amqplib'] },
  process: { siblings: ['state-machine', 'ports', 'persistence', 'communicator'], external: ['uuid'] },
  workchain: { siblings: ['process'], external: [] },
  controllers: { siblings: ['process', 'persistence', 'communicator'], external: [] },
  'plumpy-ts': {
    siblings: [
      'state-machine', 'ports', 'persistence', 'persistence-file', 'persistence-s3',
      'communicator', 'communicator-rmq', 'process', 'workchain', 'controllers',
    ],
    external: [],
  },
};

/** npm name of a workspace package directory. */
export const npmName = (dir) => (dir === 'plumpy-ts' ? 'plumpy-ts' : `@plumpy-ts/${dir}`);

/** Optional peer dependencies a published package may import from a test-only subpath (testkit). */
export const testkitPeers = { persistence: ['vitest'], communicator: ['vitest'], process: ['vitest'] };
