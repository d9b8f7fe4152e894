import { FORCE_KILL_KEY, INTENT_KEY, Intent, MESSAGE_KEY } from './intent.js';

/** A control message as it crosses the wire: plain data. */
export interface ControlMessage {
  /** What the process is asked to do. */
  [INTENT_KEY]: Intent;
  /** The pause or kill message (becomes the process's status); `null` when none. */
  [MESSAGE_KEY]: string | null;
  /** Only in kill messages: kill at once, even in the middle of a step. */
  [FORCE_KILL_KEY]?: boolean;
}

/**
 * Builds the control messages a process answers to over a communicator
 * (plumpy's `MessageBuilder`). Send them with `communicator.rpcSend(String(pid), msg)`
 * to one process, or broadcast them with the intent as subject to all.
 *
 * @example
 * await communicator.rpcSend(String(proc.pid), MessageBuilder.status());
 * // { intent: 'status', message: null }
 */
export const MessageBuilder = {
  /** Asks for the process's status: `{ intent: 'status', message }`. */
  status(text?: string): ControlMessage {
    return { [INTENT_KEY]: Intent.STATUS, [MESSAGE_KEY]: text ?? null };
  },
  /** Asks the process to pause; `text` becomes its status while paused. */
  pause(text?: string): ControlMessage {
    return { [INTENT_KEY]: Intent.PAUSE, [MESSAGE_KEY]: text ?? null };
  },
  /** Asks a paused process to play. */
  play(text?: string): ControlMessage {
    return { [INTENT_KEY]: Intent.PLAY, [MESSAGE_KEY]: text ?? null };
  },
  /** Asks the process to die; `text` is the kill message; `force` kills at once, even mid-step. */
  kill(text?: string, force = false): ControlMessage {
    return { [INTENT_KEY]: Intent.KILL, [MESSAGE_KEY]: text ?? null, [FORCE_KILL_KEY]: force };
  },
} as const;
