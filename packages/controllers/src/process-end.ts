import { BroadcastFilter, TimeoutError, UnroutableError, type Communicator } from '@plumpy-ts/communicator';
import { LoadSaveContext, type Persister } from '@plumpy-ts/persistence';
import { KilledError, Process, ProcessState, type AnyProcess } from '@plumpy-ts/process';
import { ProcessEndedError } from './errors.js';
import { MessageBuilder } from './message-builder.js';
import { subscriptionsReady } from './subscriptions-ready.js';

/** The terminal states. */
export type TerminalState = typeof ProcessState.FINISHED | typeof ProcessState.EXCEPTED | typeof ProcessState.KILLED;

/** How a process ended. */
export interface ProcessEnd {
  /** Its pid, as a string. */
  pid: string;
  /** Its terminal state. */
  state: TerminalState;
  /** Its outputs, when they could be read (from its last checkpoint). */
  outputs?: Record<string, unknown>;
  /** For a killed process its kill message, for an excepted one its error message, when known. */
  message?: string;
}

/** Options of {@link waitForProcessEnd}. */
export interface WaitForProcessEndOptions {
  /** Where the process is checkpointed: to read its outputs, and to see that it ended before the wait began. */
  persister?: Persister;
  /** The context its last checkpoint is recreated with (its loader must know the class). */
  loadContext?: LoadSaveContext;
  /** Stops waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** How often the terminal checkpoint is looked for after the end was announced (about 2 s in all). */
const CHECKPOINT_ATTEMPTS = 12;
/** How often the checkpoint of a process nobody answers for is read before waiting for its broadcast (about 0.3 s). */
const UNROUTABLE_CHECKPOINT_ATTEMPTS = 6;
const TERMINAL_SUBJECT = /^state_changed\.[^.]+\.(finished|excepted|killed)$/;
const TERMINAL: ReadonlySet<string> = new Set([ProcessState.FINISHED, ProcessState.EXCEPTED, ProcessState.KILLED]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Resolves when the process `pid` — running here or on any worker on the
 * communicator's broker — terminates. It learns of the end from the process's
 * `state_changed.<from>.<finished|excepted|killed>` broadcast (sent with the
 * pid as sender), not by polling. Right after subscribing it asks once whether
 * the process has ended already: by a status RPC, and, if no process answers
 * under the pid, from its last checkpoint in `persister`. A process that is
 * neither running nor checkpointed as terminated is waited for (it may be
 * continued later).
 *
 * The outputs (and the reason of a failure) are read from the process's last
 * checkpoint when a persister is given (a launcher keeps it by default).
 */
export async function waitForProcessEnd(
  communicator: Communicator,
  pid: string | number,
  options: WaitForProcessEndOptions = {},
): Promise<ProcessEnd> {
  const id = String(pid);
  const { signal } = options;
  signal?.throwIfAborted();
  let settle!: (state: TerminalState) => void;
  const ended = new Promise<TerminalState>((resolve) => {
    settle = resolve;
  });
  const filter = new BroadcastFilter(
    (_communicator, _body, _sender, subject) => {
      const match = subject === undefined ? null : TERMINAL_SUBJECT.exec(subject);
      if (match !== null) settle(match[1] as TerminalState);
    },
    { sender: id, subject: TERMINAL_SUBJECT },
  );
  const subscription = communicator.addBroadcastSubscriber(filter);
  let onAbort: (() => void) | undefined;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<never>((_resolve, reject) => {
          onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
          signal.addEventListener('abort', onAbort, { once: true });
        });
  const orAbort = <T>(promise: Promise<T>): Promise<T> => (aborted === undefined ? promise : Promise.race([promise, aborted]));
  try {
    await orAbort(subscriptionsReady(communicator));
    // Whichever comes first: the answer to "has it ended already?" or the broadcast.
    const known = endKnownNow(communicator, id, options).then((state) => state ?? ended);
    const state = await orAbort(Promise.race([known, ended]));
    return await describeEnd(id, state, options);
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    if (!communicator.isClosed()) communicator.removeBroadcastSubscriber(subscription);
  }
}

/**
 * The outcome of the process `pid` as its own `future()` gives it: resolves
 * with its outputs when it finishes; rejects with `KilledError` (carrying the
 * kill message) when it is killed and with {@link ProcessEndedError} when it
 * excepts. See {@link waitForProcessEnd}; without a persister the outputs are `{}`.
 */
export async function processOutcome(
  communicator: Communicator,
  pid: string | number,
  options: WaitForProcessEndOptions = {},
): Promise<Record<string, unknown>> {
  return outcomeOf(await waitForProcessEnd(communicator, pid, options));
}

/**
 * The outputs of a process that ended as `end` says; throws `KilledError` if it
 * was killed and {@link ProcessEndedError} if it excepted.
 */
export function outcomeOf(end: ProcessEnd): Record<string, unknown> {
  if (end.state === ProcessState.KILLED) throw new KilledError(end.message);
  if (end.state === ProcessState.EXCEPTED) {
    throw new ProcessEndedError(
      `Process ${end.pid} excepted${end.message === undefined ? '' : `: ${end.message}`}`,
      end.pid,
      'excepted',
    );
  }
  return end.outputs ?? {};
}


/** The terminal state if the process has ended already, else `undefined`. */
async function endKnownNow(
  communicator: Communicator,
  pid: string,
  options: WaitForProcessEndOptions,
): Promise<TerminalState | undefined> {
  try {
    const status = await communicator.rpcSend(pid, MessageBuilder.status());
    const state = isRecord(status) ? status.state : undefined;
    return typeof state === 'string' && TERMINAL.has(state) ? (state as TerminalState) : undefined;
  } catch (error) {
    // Nobody answered: no process under the pid (or, over a broker, a queue
    // that is being torn down as the process ends).
    if (!(error instanceof UnroutableError) && !(error instanceof TimeoutError)) throw error;
  }
  // Nobody answers: it ended (its last checkpoint may still be being written),
  // or it waits between workers (its checkpoint is not terminal).
  for (let attempt = 0; attempt < UNROUTABLE_CHECKPOINT_ATTEMPTS; attempt += 1) {
    const label = await lastCheckpointState(pid, options);
    if (label === undefined) return undefined;
    if (TERMINAL.has(label)) return label as TerminalState;
    await delay(attempt);
  }
  return undefined;
}

/**
 * The state label of the process's last (untagged) checkpoint, read from the
 * saved data: a process that has not terminated is not recreated (a work chain
 * waiting on children would need to re-attach to them).
 */
async function lastCheckpointState(pid: string, options: WaitForProcessEndOptions): Promise<string | undefined> {
  const { persister } = options;
  if (persister === undefined) return undefined;
  const checkpoints = await persister.getProcessCheckpoints(pid);
  if (!checkpoints.some((checkpoint) => checkpoint.tag === undefined)) return undefined;
  const saved = (await persister.loadCheckpoint(pid)).state.state;
  const label = isRecord(saved) ? saved.label : undefined;
  return typeof label === 'string' ? label : undefined;
}

function delay(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5 * 2 ** Math.min(attempt, 6)));
}

async function loadLastCheckpoint(pid: string, options: WaitForProcessEndOptions): Promise<AnyProcess | undefined> {
  const { persister } = options;
  if (persister === undefined) return undefined;
  const checkpoints = await persister.getProcessCheckpoints(pid);
  if (!checkpoints.some((checkpoint) => checkpoint.tag === undefined)) return undefined;
  const bundle = await persister.loadCheckpoint(pid);
  const process = bundle.unbundle(options.loadContext ?? new LoadSaveContext());
  return process instanceof Process ? (process as AnyProcess) : undefined;
}

async function describeEnd(pid: string, state: TerminalState, options: WaitForProcessEndOptions): Promise<ProcessEnd> {
  const end: ProcessEnd = { pid, state };
  if (options.persister === undefined) return end;
  // The broadcast leaves during the transition; the launcher writes the
  // terminal checkpoint just after. Give it a moment.
  let process: AnyProcess | undefined;
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt += 1) {
    const label = await lastCheckpointState(pid, options).catch(() => undefined);
    if (label !== undefined && TERMINAL.has(label)) {
      process = await loadLastCheckpoint(pid, options).catch(() => undefined);
      break;
    }
    await delay(attempt);
  }
  if (process === undefined || !process.hasTerminated()) return end;
  end.outputs = process.outputs as Record<string, unknown>;
  if (state === ProcessState.KILLED) {
    const message = process.killedMsg()?.message;
    if (message !== undefined) end.message = message;
  } else if (state === ProcessState.EXCEPTED) {
    const message = process.exception()?.message;
    if (message !== undefined) end.message = message;
  }
  return end;
}
