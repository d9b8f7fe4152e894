/**
 * What a work chain waits for, as plain data (the live promise or process is
 * kept aside and is not part of it): enough to save a waiting work chain and,
 * for a child process, to re-attach to it by pid.
 */
export interface AwaitableRecord {
  /** The context key the value goes to (dots address nested objects: `'a.b'`). */
  key: string;
  /** A child process (its outputs are the value) or a promise (its value). */
  kind: 'process' | 'promise';
  /** The child's pid, for `kind: 'process'`. */
  pid?: string | number;
  /** Whether the value is appended to an array rather than assigned. */
  append: boolean;
  /** Whether it has settled successfully (then `value` holds the value). */
  done: boolean;
  /** The value, once done. */
  value?: unknown;
}
