import type { PortDescription } from './descriptions.js';
import type { PortOptions } from './port.js';
import { Port } from './port.js';

/** Options of an {@link OutputPort}. */
export type OutputPortOptions = PortOptions;

/** A port for a value a process emits. */
export class OutputPort extends Port {
  /**
   * @param name - the port's name
   * @param options - type, help, required flag and validator
   */
  constructor(name: string, options: OutputPortOptions = {}) {
    super(name, options);
  }

  /** A JSON-able description of this port. */
  override getDescription(): PortDescription {
    return this.describePort();
  }

  override clone(name: string = this.name): OutputPort {
    return new OutputPort(name, this.cloneOptions());
  }
}
