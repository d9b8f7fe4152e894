export { CheckpointProbe } from './checkpoint-probe.js';
export { persisterConformanceSuite, type PersisterConformanceOptions } from './conformance-suite.js';
