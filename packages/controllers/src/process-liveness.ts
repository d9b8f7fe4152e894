import { RemoteException, TimeoutError, UnroutableError, type Communicator } from '@plumpy-ts/communicator';
import { MessageBuilder } from './message-builder.js';

/**
 * What a status RPC to a pid said: `'alive'` — a process answered (it runs
 * somewhere, maybe on another worker); `'absent'` — nobody subscribes under the
 * pid (`UnroutableError`); `'unknown'` — no answer in time (a busy or
 * disconnected worker may still run it).
 */
export type Liveness = 'alive' | 'absent' | 'unknown';

/**
 * Asks, by a status RPC to `String(pid)`, whether a process runs under `pid`
 * anywhere on the communicator's broker. Resolves within about `timeoutMs`.
 * An error the process's subscriber threw (`RemoteException`) still means that
 * it answered; other errors (e.g. a closed communicator) reject.
 */
export async function probeProcess(communicator: Communicator, pid: string | number, timeoutMs: number): Promise<Liveness> {
  const asked = communicator.rpcSend(String(pid), MessageBuilder.status()).then(
    (): Liveness => 'alive',
    (error: unknown): Liveness => {
      if (error instanceof UnroutableError) return 'absent';
      if (error instanceof TimeoutError) return 'unknown';
      if (error instanceof RemoteException) return 'alive';
      throw error;
    },
  );
  asked.catch(() => undefined); // may settle after the timeout
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Liveness>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), timeoutMs);
  });
  try {
    return await Promise.race([asked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
