/**
 * A mistake in declaring ports or a spec: an invalid default, a name already taken by a port,
 * a port added after the spec was sealed, `include` together with `exclude`, and the like.
 */
export class PortDefinitionError extends Error {
  /** @param message - what is wrong with the declaration */
  constructor(message: string) {
    super(message);
    this.name = 'PortDefinitionError';
  }
}
