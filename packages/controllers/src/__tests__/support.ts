/** Small helpers shared by the controller tests. */
import { BroadcastFilter, type Communicator } from '@plumpy-ts/communicator';
import type { AnyProcess, ProcessListener } from '@plumpy-ts/process';

/** A promise with its resolve function exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Makes a {@link Deferred}. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when the process next notifies `event` (or at once if `already()` holds). */
export function whenEvent(process: AnyProcess, event: keyof ProcessListener, already: () => boolean = () => false): Promise<void> {
  if (already()) return Promise.resolve();
  return new Promise((resolve) => {
    const listener: ProcessListener = {
      [event]: () => {
        process.removeProcessListener(listener);
        resolve();
      },
    };
    process.addProcessListener(listener);
  });
}

/** A logger that keeps what it is told (so tests stay quiet and can look). */
export function recordingLogger(): {
  debug: (m: string, ...a: unknown[]) => void;
  info: (m: string, ...a: unknown[]) => void;
  warn: (m: string, ...a: unknown[]) => void;
  error: (m: string, ...a: unknown[]) => void;
  lines: string[];
} {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level}: ${message}`);
    };
  return { debug: () => {}, info: keep('info'), warn: keep('warn'), error: keep('error'), lines };
}

export { until } from '@plumpy-ts/process/testkit';

/** Resolves with the subject of the first broadcast from `sender` whose subject matches. */
export function whenBroadcast(communicator: Communicator, sender: string, subject: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const id = communicator.addBroadcastSubscriber(
      new BroadcastFilter(
        (_communicator, _body, _sender, received) => {
          communicator.removeBroadcastSubscriber(id);
          resolve(received ?? '');
        },
        { sender, subject },
      ),
    );
  });
}
