import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// The AWS SDK's "module" builds use extension-less imports meant for bundlers;
// Node must load its CommonJS/Node builds, so the "module" condition is dropped here.
const conditions = ['@plumpy-ts/source', 'node', 'development|production'];

export default defineConfig({
  ...sharedTestConfig,
  resolve: { ...sharedTestConfig.resolve, conditions },
  ssr: { ...sharedTestConfig.ssr, resolve: { ...sharedTestConfig.ssr?.resolve, conditions } },
});
