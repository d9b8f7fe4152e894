// Test processes shared by the work chain tests (after plumpy's tests/utils.py).
import { Process, Wait, type ProcessSpec } from '@plumpy-ts/process';

/** Throws from its step: it becomes EXCEPTED. */
export class ExceptionProcess extends Process {
  override run(): void {
    throw new RangeError('the child failed');
  }
}

/** Emits `res` = its input `value`. */
export class ReturnValue extends Process<{ value: unknown }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('value', { required: false });
    spec.output('res', { required: false });
  }

  override run(): void {
    this.out('res', this.inputs.value);
  }
}

/** Waits until resumed (or killed), then emits `done` = true. */
export class WaitingChild extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.output('done', { required: false });
  }

  override run(): Wait {
    return new Wait('finish');
  }

  finish(): void {
    this.out('done', true);
  }
}

/** A promise and the functions that settle it. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Makes a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves after the current turn of the event loop (and the resumptions it queued) are over. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
