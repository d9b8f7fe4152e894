import type { PortDescription } from './descriptions.js';
import type { PortOptions } from './port.js';
import { Port } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import { toJsonValue } from './json-value.js';
import { UNSPECIFIED } from './unspecified.js';

/** Options of an {@link InputPort}. */
export interface InputPortOptions extends PortOptions {
  /**
   * The value used when none is given. A function is a lazy default: it is called (once per
   * pre-processing, and only when no value was given) and its result validated like a given value.
   * Any other default is validated when declared. A port with a default is never required.
   */
  default?: unknown;
}

/** A port for a value a process receives; it may have a (lazy) default. */
export class InputPort extends Port {
  private _default: unknown;

  /**
   * @param name - the port's name
   * @param options - type, help, required flag, validator and default
   * @throws PortDefinitionError when a non-function default is not valid for the port
   */
  constructor(name: string, options: InputPortOptions = {}) {
    const hasDefault = options.default !== undefined && options.default !== UNSPECIFIED;
    super(name, hasDefault ? { ...options, required: false } : options);
    this._default = UNSPECIFIED;
    if (hasDefault) this.default = options.default;
  }

  /** Whether a default is declared. */
  hasDefault(): boolean {
    return this._default !== UNSPECIFIED;
  }

  /**
   * The declared default (a function for a lazy default), or {@link UNSPECIFIED}. Setting a
   * non-function default validates it.
   */
  get default(): unknown {
    return this._default;
  }

  /** Declare a default (a function for a lazy one); `undefined`/`UNSPECIFIED` removes it. */
  set default(value: unknown) {
    if (value === undefined || value === UNSPECIFIED) {
      this._default = UNSPECIFIED;
      return;
    }
    if (typeof value !== 'function') {
      const error = this.validate(value);
      if (error !== undefined) {
        throw new PortDefinitionError(`Invalid default value for port '${this.name}': ${error.detail}`);
      }
    }
    this._default = value;
  }

  /**
   * The default value to use now: the result of calling a lazy default, else the default itself,
   * or {@link UNSPECIFIED} without one.
   */
  resolveDefault(): unknown {
    const value = this._default;
    return typeof value === 'function' ? (value as () => unknown)() : value;
  }

  /** A JSON-able description of this port, including its default. */
  override getDescription(): PortDescription {
    return this.describePort();
  }

  protected override describePort(): PortDescription {
    const description = super.describePort();
    if (this.hasDefault()) description.default = toJsonValue(this._default);
    return description;
  }

  override clone(name: string = this.name): InputPort {
    return new InputPort(name, this.cloneOptions());
  }

  protected override cloneOptions(): InputPortOptions {
    const options: InputPortOptions = super.cloneOptions();
    if (this.hasDefault()) options.default = this._default;
    return options;
  }
}
