export { communicatorConformanceSuite } from './conformance-suite.js';
export type { CommunicatorConformanceOptions } from './options.js';
export { deferred } from './harness.js';
export type { Deferred } from './harness.js';
