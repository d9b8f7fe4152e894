import type { ViteUserConfig } from 'vitest/config';

/**
 * Test configuration shared by every workspace package. Workspace siblings are
 * resolved to their TypeScript sources (the `@plumpy-ts/source` export
 * condition), so tests never depend on a stale build.
 */
// The "module" condition is left out: some packages (the AWS SDK) publish
// bundler-only builds under it that Node cannot load.
const conditions = ['@plumpy-ts/source', 'node', 'development|production'];

export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    restoreMocks: true,
  },
};
