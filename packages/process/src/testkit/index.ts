/**
 * Test helpers for processes, for this project's suites and for users who write
 * Process or WorkChain subclasses: check that a class saves and restores
 * faithfully in every state, and wait for a process's events without polling.
 * Needs `vitest` (an optional peer dependency).
 *
 * @packageDocumentation
 */
export { ProcessSaver, comparableStates } from './process-saver.js';
export { checkRoundTrip, checkAgainstSnapshots, checkProcessSnapshots } from './checks.js';
export { until } from './until.js';
