import { setTimeout as sleep } from 'node:timers/promises';
import type { Communicator } from '@plumpy-ts/communicator';
import type { LoadSaveContext, Persister } from '@plumpy-ts/persistence';
import { waitForProcessEnd, type ProcessEnd, type WaitForProcessEndOptions } from './process-end.js';
import { probeProcess } from './process-liveness.js';

/** Options of {@link followProcess}. */
export interface FollowProcessOptions {
  /** Where the process is checkpointed (its outputs are read from its last checkpoint). */
  persister?: Persister;
  /** The context its last checkpoint is recreated with. */
  loadContext?: LoadSaveContext;
  /** How long a liveness probe (a status RPC) may take. */
  probeTimeoutMs: number;
  /** How often to ask whether the process is still running somewhere. */
  checkIntervalMs: number;
  /** Stops following (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * How following a process ended: it terminated (`end`), or nobody answers for
 * it any more although it never announced its end (`orphaned`: its worker
 * stopped, crashed or handed it over, or it has just ended and its end is to be
 * read from its last checkpoint).
 */
export type FollowResult = { readonly kind: 'ended'; readonly end: ProcessEnd } | { readonly kind: 'orphaned' };

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Follows the process `pid` that runs elsewhere until it terminates (learnt
 * from its `state_changed` broadcast, see {@link waitForProcessEnd}), asking
 * every `checkIntervalMs` whether it is still running somewhere: when nobody
 * answers for it, resolves `orphaned` so the caller can take it over.
 */
export async function followProcess(
  communicator: Communicator,
  pid: string,
  options: FollowProcessOptions,
): Promise<FollowResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const inner = new AbortController();
  const forward = (): void => inner.abort(signal === undefined ? undefined : reasonOf(signal));
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const waitOptions: WaitForProcessEndOptions = { signal: inner.signal };
    if (options.persister !== undefined) waitOptions.persister = options.persister;
    if (options.loadContext !== undefined) waitOptions.loadContext = options.loadContext;
    const ended = waitForProcessEnd(communicator, pid, waitOptions).then((end): FollowResult => ({ kind: 'ended', end }));
    const orphaned = watchForOrphan(communicator, pid, options, inner.signal);
    ended.catch(() => undefined);
    orphaned.catch(() => undefined);
    return await Promise.race([ended, orphaned]);
  } finally {
    signal?.removeEventListener('abort', forward);
    if (!inner.signal.aborted) inner.abort(new Error('Following ended'));
  }
}

/** Resolves `orphaned` once a probe finds nobody answering for `pid`. */
async function watchForOrphan(
  communicator: Communicator,
  pid: string,
  options: FollowProcessOptions,
  signal: AbortSignal,
): Promise<FollowResult> {
  for (;;) {
    try {
      await sleep(options.checkIntervalMs, undefined, { signal });
    } catch {
      throw reasonOf(signal);
    }
    const liveness = await probeProcess(communicator, pid, options.probeTimeoutMs);
    signal.throwIfAborted();
    if (liveness === 'absent') return { kind: 'orphaned' };
  }
}
