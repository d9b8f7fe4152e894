/** Where a process reports what it does. Any object with these four methods fits (`console` does). */
export interface Logger {
  /** Detailed tracing; off by default. */
  debug(message: string, ...args: unknown[]): void;
  /** Noteworthy events. */
  info(message: string, ...args: unknown[]): void;
  /** Something went wrong but the process carries on. */
  warn(message: string, ...args: unknown[]): void;
  /** Something failed, e.g. a listener threw. */
  error(message: string, ...args: unknown[]): void;
}

const noop = (): void => {};

/** The default {@link Logger}: `console` for info, warnings and errors; debug messages are dropped. */
export const consoleLogger: Logger = Object.freeze({
  debug: noop,
  info: (message: string, ...args: unknown[]): void => console.info(message, ...args),
  warn: (message: string, ...args: unknown[]): void => console.warn(message, ...args),
  error: (message: string, ...args: unknown[]): void => console.error(message, ...args),
});
