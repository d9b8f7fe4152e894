/**
 * The wire constants of process control messages (plumpy's `process_comms`):
 * an RPC or broadcast body is `{ intent, message, force_kill? }`. They are
 * defined by `@plumpy-ts/process` (the side that answers them) and re-exported
 * here for controllers.
 */
export { Intent, INTENT_KEY, MESSAGE_KEY, FORCE_KILL_KEY } from '@plumpy-ts/process';
