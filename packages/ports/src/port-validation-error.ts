/**
 * A failed validation of a value against a port. The message reads like plumpy's:
 * `Error occurred validating port 'inputs.a': required value was not provided for 'a'`.
 */
export class PortValidationError extends Error {
  /** The reason alone, without the port prefix (plumpy's `message`). */
  readonly detail: string;
  /** The breadcrumb path of the failing port, e.g. `'inputs.ns.sub.port'`. */
  readonly port: string;
  /** The same path as its segments. */
  readonly path: readonly string[];

  /**
   * @param detail - what is wrong with the value
   * @param path - the breadcrumbs leading to the port, outermost first
   */
  constructor(detail: string, path: readonly string[]) {
    const port = path.join('.');
    super(`Error occurred validating port '${port}': ${detail}`);
    this.name = 'PortValidationError';
    this.detail = detail;
    this.port = port;
    this.path = path;
  }
}
