/** A port looked up by (dotted) name does not exist. */
export class PortNotFoundError extends Error {
  /** The (dotted) name that was looked up. */
  readonly portName: string;

  /**
   * @param portName - the name that was looked up
   * @param message - the explanation
   */
  constructor(portName: string, message: string) {
    super(message);
    this.name = 'PortNotFoundError';
    this.portName = portName;
  }
}
