import type { Communicator } from '@plumpy-ts/communicator';
import type { AnyProcess } from './process-options.js';

/** What a control message asks a process to do (plumpy's `Intent`). */
export const Intent = {
  PLAY: 'play',
  PAUSE: 'pause',
  KILL: 'kill',
  STATUS: 'status',
} as const;

/** One of the {@link Intent} values. */
export type Intent = (typeof Intent)[keyof typeof Intent];

/** The key of a control message holding its {@link Intent}. */
export const INTENT_KEY = 'intent';
/** The key of a control message holding its text (a pause or kill message), or `null`. */
export const MESSAGE_KEY = 'message';
/** The key of a kill message saying whether to kill at once, even mid-step. */
export const FORCE_KILL_KEY = 'force_kill';

/**
 * A control message as sent over a communicator (by RPC to `String(pid)`, or
 * as a broadcast body): `{ intent, message?, force_kill? }`.
 */
export interface ProcessControlMessage {
  /** What to do. */
  intent: Intent;
  /** The pause or kill message. */
  message?: string | null;
  /** For `kill`: kill at once, even mid-step. */
  force_kill?: boolean;
}

/** An RPC message to a process whose intent is not one of {@link Intent}; the sender gets it as a `RemoteException`. */
export class UnknownIntentError extends Error {
  /** The intent that was received (whatever it was). */
  readonly intent: unknown;

  constructor(intent: unknown) {
    super(
      `Unknown intent ${JSON.stringify(intent) ?? String(intent)}: a process understands ` +
        `${Object.values(Intent)
          .map((i) => `'${i}'`)
          .join(', ')}`,
    );
    this.name = 'UnknownIntentError';
    this.intent = intent;
  }
}

function field(msg: unknown, key: string): unknown {
  return typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>)[key] : undefined;
}

function messageText(msg: unknown): string | undefined {
  const text = field(msg, MESSAGE_KEY);
  return typeof text === 'string' ? text : undefined;
}

/**
 * Answers an RPC control message (plumpy's `message_receive`): `status` → the
 * status info; `pause` → `pause(message)`; `play` → `play()`; `kill` →
 * `kill(message, { force: force_kill })`.
 * @throws UnknownIntentError for any other message.
 */
export function receiveRpc(process: AnyProcess, msg: unknown): unknown {
  const intent = field(msg, INTENT_KEY);
  process.logger.debug(`Process<${String(process.pid)}>: received RPC message`, msg);
  switch (intent) {
    case Intent.STATUS:
      return process.getStatusInfo();
    case Intent.PAUSE:
      return process.pause(messageText(msg));
    case Intent.PLAY:
      return process.play();
    case Intent.KILL:
      return process.kill(messageText(msg), { force: field(msg, FORCE_KILL_KEY) === true });
    default:
      throw new UnknownIntentError(intent);
  }
}

/**
 * Acts on a broadcast (plumpy's `broadcast_receive`): the subject (or, without
 * one, the body's intent) `pause`, `play` or `kill` pauses, plays or kills the
 * process; anything else (such as other processes' `state_changed.*`) is ignored.
 */
export function receiveBroadcast(process: AnyProcess, body: unknown, subject: string | undefined): void {
  const intent = subject ?? field(body, INTENT_KEY);
  let outcome: Promise<boolean>;
  switch (intent) {
    case Intent.PLAY:
      process.play();
      return;
    case Intent.PAUSE:
      outcome = process.pause(messageText(body));
      break;
    case Intent.KILL:
      outcome = process.kill(messageText(body), { force: field(body, FORCE_KILL_KEY) === true });
      break;
    default:
      return;
  }
  process.logger.debug(`Process<${String(process.pid)}>: received broadcast '${String(intent)}'`);
  outcome.catch((error: unknown) => {
    process.logger.error(`Process<${String(process.pid)}>: acting on broadcast '${String(intent)}' failed`, error);
  });
}

/**
 * Makes `process` reachable on `communicator`: an RPC subscriber and a broadcast
 * subscriber, both under `String(pid)`, removed when the process closes (on
 * termination). Throws what the communicator throws (e.g. a duplicate identifier).
 */
export function attachRemoteControl(process: AnyProcess, communicator: Communicator): void {
  const identifier = String(process.pid);
  communicator.addRpcSubscriber((_communicator, msg) => receiveRpc(process, msg), identifier);
  try {
    communicator.addBroadcastSubscriber(
      (_communicator, body, _sender, subject) => receiveBroadcast(process, body, subject),
      identifier,
    );
  } catch (error) {
    communicator.removeRpcSubscriber(identifier);
    throw error;
  }
  process.addCleanup(() => detachRemoteControl(process, communicator, identifier));
}

function detachRemoteControl(process: AnyProcess, communicator: Communicator, identifier: string): void {
  if (communicator.isClosed()) return; // a closed communicator has dropped its subscribers
  const warn = (error: unknown): void => {
    process.logger.warn(`Process<${identifier}>: could not unsubscribe from the communicator`, error);
  };
  try {
    communicator.removeRpcSubscriber(identifier);
  } catch (error) {
    warn(error);
  }
  try {
    communicator.removeBroadcastSubscriber(identifier);
  } catch (error) {
    warn(error);
  }
}

/**
 * Broadcasts `state_changed.<from>.<to>` with the pid as sender (`from` is
 * `null` for the first state). A failure is logged, never thrown.
 */
export function broadcastStateChange(
  process: AnyProcess,
  communicator: Communicator,
  from: string | null,
  to: string,
): void {
  const subject = `state_changed.${String(from)}.${to}`;
  const sender = String(process.pid);
  const warn = (error: unknown): void => {
    process.logger.warn(`Process<${sender}>: could not broadcast the state change ${String(from)} → ${to}`, error);
  };
  try {
    communicator.broadcastSend(null, { sender, subject }).catch(warn);
  } catch (error) {
    warn(error);
  }
}
