/**
 * Which of the base process's hooks a class overrides, as bits of one small
 * integer. A hook the class does not override runs the base behaviour
 * directly: no virtual call and no super check (which could not fail), so a
 * plain process takes far fewer calls from construction to its end.
 *
 * The bits start at bit 8, so that a process keeps them in the same small
 * integer as its boolean flags (bits 0–7).
 */

/** The hooks tracked, in bit order (the first is bit 8). */
const HOOK_NAMES = [
  'init',
  'onCreate',
  'onRun',
  'onRunning',
  'onExitRunning',
  'onWait',
  'onWaiting',
  'onExitWaiting',
  'onFinish',
  'onFinished',
  'onExcept',
  'onExcepted',
  'onKill',
  'onKilled',
  'onOutputEmitting',
  'onClose',
  'onPausing',
  'onPaused',
  'onPlaying',
] as const;

const FIRST_BIT = 8;

/** `init` is overridden. */
export const INIT = 1 << 8;
/** `onCreate` is overridden. */
export const ON_CREATE = 1 << 9;
/** `onRun` is overridden. */
export const ON_RUN = 1 << 10;
/** `onRunning` is overridden. */
export const ON_RUNNING = 1 << 11;
/** `onExitRunning` is overridden. */
export const ON_EXIT_RUNNING = 1 << 12;
/** `onWait` is overridden. */
export const ON_WAIT = 1 << 13;
/** `onWaiting` is overridden. */
export const ON_WAITING = 1 << 14;
/** `onExitWaiting` is overridden. */
export const ON_EXIT_WAITING = 1 << 15;
/** `onFinish` is overridden. */
export const ON_FINISH = 1 << 16;
/** `onFinished` is overridden. */
export const ON_FINISHED = 1 << 17;
/** `onExcept` is overridden. */
export const ON_EXCEPT = 1 << 18;
/** `onExcepted` is overridden. */
export const ON_EXCEPTED = 1 << 19;
/** `onKill` is overridden. */
export const ON_KILL = 1 << 20;
/** `onKilled` is overridden. */
export const ON_KILLED = 1 << 21;
/** `onOutputEmitting` is overridden. */
export const ON_OUTPUT_EMITTING = 1 << 22;
/** `onClose` is overridden. */
export const ON_CLOSE = 1 << 23;
/** `onPausing` is overridden. */
export const ON_PAUSING = 1 << 24;
/** `onPaused` is overridden. */
export const ON_PAUSED = 1 << 25;
/** `onPlaying` is overridden. */
export const ON_PLAYING = 1 << 26;

/**
 * The bits (see the constants above) of the hooks that `prototype` (a process
 * class's) does not inherit unchanged from `base` (the base process's prototype).
 */
export function overriddenHooks(prototype: object, base: object): number {
  let mask = 0;
  for (let i = 0; i < HOOK_NAMES.length; i += 1) {
    const name = HOOK_NAMES[i]!;
    if ((prototype as Record<string, unknown>)[name] !== (base as Record<string, unknown>)[name]) {
      mask |= 1 << (FIRST_BIT + i);
    }
  }
  return mask;
}
