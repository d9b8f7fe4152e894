import { encodeBody, type ReplyEnvelope } from './wire-format.js';

/** `value` if it is an Error, else an Error describing it. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The message of an error, or the value as text. */
export function describeError(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/** Whether `value` is a promise or promise-like. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Runs a subscriber and turns what it returns (awaited) or throws into a reply. */
export async function settleOutcome(run: () => unknown): Promise<ReplyEnvelope> {
  try {
    return { status: 'result', value: await run() };
  } catch (error) {
    return { status: 'exception', error: asError(error) };
  }
}

/** Encodes a reply body; a result that cannot be encoded becomes an exception reply saying so. */
export function encodeReply(reply: ReplyEnvelope): Buffer {
  try {
    return encodeBody(reply);
  } catch (error) {
    const failure = new TypeError(`The reply could not be encoded: ${describeError(error)}`);
    return encodeBody({ status: 'exception', error: failure });
  }
}
