import { isUnspecified } from './unspecified.js';
import { PortValidationError } from './port-validation-error.js';
import type { AnyPortDescription, PortDescription } from './descriptions.js';
import type { TypeCheck, ValidType } from './valid-type.js';
import { compileTypeCheck, describeValidType, describeValueType } from './valid-type.js';

/**
 * A validator attached to a port: gets the value and the port, returns an error message, or
 * `undefined`/`null` (or nothing) when the value is valid. Called only when a value was provided
 * and it passed the type check. A namespace's validator gets the whole object of its values.
 *
 * The parameter may be narrowed (`(value: number) => ...`): the port's `validType` is what
 * guarantees the value's type.
 */
export type PortValidator<P extends Port = Port> = {
  /** Check `value` for `port`: an error message, or nothing when valid. */
  bivarianceHack(value: unknown, port: P): string | null | undefined | void;
}['bivarianceHack'];

/** Options shared by every port. */
export interface PortOptions {
  /** The accepted type(s); `null`/`undefined` accepts anything. */
  validType?: ValidType;
  /** A help string shown in descriptions. */
  help?: string;
  /** Whether a value must be provided (default `true`). */
  required?: boolean;
  /** An extra check run after the type check. */
  validator?: PortValidator;
}

const NO_CRUMBS: readonly string[] = [];

/**
 * A named slot for a value with its rules: the valid type, whether it is required, a help string
 * and an optional validator. {@link InputPort}, {@link OutputPort} and {@link PortNamespace}
 * build on it.
 */
export class Port {
  /** The port's name (its key in the enclosing namespace). */
  readonly name: string;
  /** The help string, if any. */
  help: string | undefined;
  /** Whether a value must be provided. */
  required: boolean;
  /** The extra validator, if any. */
  validator: PortValidator | undefined;
  private typeCheck: TypeCheck | undefined;
  private _validType: ValidType;

  /**
   * @param name - the port's name
   * @param options - type, help, required flag and validator
   */
  constructor(name: string, options: PortOptions = {}) {
    this.name = name;
    this.help = options.help;
    this.required = options.required ?? true;
    this.validator = options.validator;
    this._validType = undefined;
    this.typeCheck = undefined;
    this.validType = options.validType;
  }

  /** The accepted type(s); `undefined` means any value. */
  get validType(): ValidType {
    return this._validType;
  }

  /** Change the accepted type(s); `null`/`undefined` accepts anything. */
  set validType(validType: ValidType) {
    this.typeCheck = compileTypeCheck(validType);
    this._validType = validType ?? undefined;
  }

  /** Whether `value` matches {@link Port.validType} (always `true` without one). */
  isValidType(value: unknown): boolean {
    return this.typeCheck === undefined || this.typeCheck(value);
  }

  /**
   * Validate a value for this port.
   *
   * @param value - the value; `undefined` or {@link UNSPECIFIED} mean "not provided"
   * @param breadcrumbs - the names of the enclosing namespaces, outermost first
   * @returns the error, or `undefined` when the value is valid
   */
  validate(value: unknown, breadcrumbs: readonly string[] = NO_CRUMBS): PortValidationError | undefined {
    let message: string | undefined;
    if (isUnspecified(value)) {
      if (!this.required) return undefined;
      message = `required value was not provided for '${this.name}'`;
    } else if (this.typeCheck !== undefined && !this.typeCheck(value)) {
      message =
        `value '${this.name}' is not of the right type. ` +
        `Got '${describeValueType(value)}', expected '${describeValidType(this._validType)}'`;
    } else if (this.validator !== undefined) {
      const result = this.validator(value, this);
      if (typeof result === 'string') message = result;
    }
    if (message === undefined) return undefined;
    return new PortValidationError(message, [...breadcrumbs, this.name]);
  }

  /** A JSON-able description of this port. */
  getDescription(): AnyPortDescription {
    return this.describePort();
  }

  /** The description of this port as a leaf port; subclasses add fields. */
  protected describePort(): PortDescription {
    const description: PortDescription = { name: this.name, required: this.required };
    const validType = describeValidType(this._validType);
    if (validType !== undefined) description.validType = validType;
    if (this.help) description.help = this.help.trim();
    return description;
  }

  /** The description as a JSON string. */
  toString(): string {
    return JSON.stringify(this.getDescription());
  }

  /** A copy of this port under a (possibly different) name, sharing no mutable state. */
  clone(name: string = this.name): Port {
    return new Port(name, this.cloneOptions());
  }

  /** The options that recreate this port; subclasses extend them. */
  protected cloneOptions(): PortOptions {
    const options: PortOptions = { required: this.required };
    if (this._validType !== undefined) options.validType = this._validType;
    if (this.help !== undefined) options.help = this.help;
    if (this.validator !== undefined) options.validator = this.validator;
    return options;
  }
}
