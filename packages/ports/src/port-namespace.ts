import { InputPort } from './input-port.js';
import type { PortNamespaceAttributes, PortNamespaceDescription } from './descriptions.js';
import { formatJson, toJsonValue } from './json-value.js';
import { NAMESPACE_SEPARATOR, rulesTouch, stripNamespace } from './namespace-rules.js';
import type { PortOptions, PortValidator } from './port.js';
import { Port } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import { PortNotFoundError } from './port-not-found-error.js';
import { PortValidationError } from './port-validation-error.js';
import { UNSPECIFIED } from './unspecified.js';
import type { ValidType } from './valid-type.js';
import { describeValidType, describeValueType, isPlainObject } from './valid-type.js';

/** Options of a {@link PortNamespace}. */
export interface PortNamespaceOptions extends PortOptions {
  /** A validator that receives the namespace's whole value object and the namespace. */
  validator?: PortValidator<PortNamespace>;
  /**
   * The type of the values of undeclared ("dynamic") keys, checked at every leaf of nested plain
   * objects. Setting it makes the namespace dynamic.
   */
  validType?: ValidType;
  /** A value (or a function returning one) used when no value is given for the namespace. */
  default?: unknown;
  /** Whether keys without a declared port are accepted (default `false`). */
  dynamic?: boolean;
  /**
   * Whether defaults of the ports inside are filled in when no value at all is given for the
   * namespace (default `true`). Once a value is given, even `{}`, defaults are always filled.
   */
  populateDefaults?: boolean;
}

/** The namespace properties {@link PortNamespace.absorb} copies and `namespaceOptions` may override. */
export type NamespaceProperties = Pick<
  PortNamespaceOptions,
  'help' | 'required' | 'validator' | 'validType' | 'default' | 'dynamic' | 'populateDefaults'
>;

const NAMESPACE_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'help',
  'required',
  'validator',
  'validType',
  'default',
  'dynamic',
  'populateDefaults',
]);

/** Options of {@link PortNamespace.absorb} (and of exposing a process's ports). */
export interface AbsorbOptions {
  /**
   * Only these ports are taken; dotted rules (`'ns.port'`) reach into nested namespaces, and a
   * namespace's own name takes all of it. Mutually exclusive with `exclude`.
   */
  include?: readonly string[];
  /** These ports are skipped; dotted rules reach into nested namespaces. Mutually exclusive with `include`. */
  exclude?: readonly string[];
  /** Values that override the namespace properties copied from the absorbed namespace. */
  namespaceOptions?: NamespaceProperties;
}

/** Options of {@link PortNamespace.getPort}. */
export interface GetPortOptions {
  /**
   * When a name is missing and the namespace is dynamic, create it as a namespace with the same
   * properties as its parent instead of throwing (allowed on sealed namespaces too).
   */
  createDynamically?: boolean;
}

/** A plain object of port values. */
export type PortValues = Record<string, unknown>;

const NO_CRUMBS: readonly string[] = [];
const EMPTY: PortValues = Object.freeze({});
const hasOwn = Object.hasOwn;

function ownValue(values: PortValues, name: string): unknown {
  const value = values[name];
  return value !== undefined && !hasOwn(values, name) ? undefined : value;
}

/**
 * A port that holds other ports (and namespaces) by name. Its value is a plain object whose keys
 * are the port names. A dynamic namespace also accepts undeclared keys, whose leaf values must
 * match its `validType` when one is set.
 */
export class PortNamespace extends Port implements Iterable<[string, Port]> {
  /** The separator of dotted port names. */
  static readonly NAMESPACE_SEPARATOR: string = NAMESPACE_SEPARATOR;

  /** Whether keys without a declared port are accepted. */
  dynamic: boolean;
  /** Whether defaults inside are filled in when no value is given for this namespace. */
  populateDefaults: boolean;
  private _default: unknown;
  private readonly portMap = new Map<string, Port>();
  private portList: Port[] = [];
  private _sealed = false;
  private readonly ownPath: readonly string[];

  /**
   * @param name - the namespace's name (`''` for an anonymous root)
   * @param options - properties of the namespace
   */
  constructor(name = '', options: PortNamespaceOptions = {}) {
    super(name, options);
    this.ownPath = Object.freeze([name]);
    this.dynamic = (options.dynamic ?? false) || (options.validType !== undefined && options.validType !== null);
    this.populateDefaults = options.populateDefaults ?? true;
    this._default = options.default === undefined ? UNSPECIFIED : options.default;
  }

  /** The type of dynamic values; setting a type (not `null`) also makes the namespace dynamic. */
  override get validType(): ValidType {
    return super.validType;
  }

  /** Change the type of dynamic values; a type (not `null`/`undefined`) makes the namespace dynamic. */
  override set validType(validType: ValidType) {
    super.validType = validType;
    if (validType !== undefined && validType !== null) this.dynamic = true;
  }

  /** The namespace default (a value or a function), or {@link UNSPECIFIED}. */
  get default(): unknown {
    return this._default;
  }

  /** Declare a default for the namespace itself; `undefined` removes it. */
  set default(value: unknown) {
    this._default = value === undefined ? UNSPECIFIED : value;
  }

  /** Whether a default is declared for the namespace itself. */
  hasDefault(): boolean {
    return this._default !== UNSPECIFIED;
  }

  /** The default to use now: a lazy default is called; {@link UNSPECIFIED} without one. */
  resolveDefault(): unknown {
    const value = this._default;
    return typeof value === 'function' ? (value as () => unknown)() : value;
  }

  // ---------------------------------------------------------------- mapping

  /** The number of ports directly in this namespace. */
  get size(): number {
    return this.portList.length;
  }

  /** Whether a port with this (undotted) name is directly in this namespace. */
  has(name: string): boolean {
    return this.portMap.has(name);
  }

  /** The port with this (undotted) name directly in this namespace. */
  get(name: string): Port | undefined {
    return this.portMap.get(name);
  }

  /** The names of the ports directly in this namespace, in declaration order. */
  keys(): IterableIterator<string> {
    return this.portMap.keys();
  }

  /** The ports directly in this namespace, in declaration order. */
  values(): IterableIterator<Port> {
    return this.portMap.values();
  }

  /** `[name, port]` pairs of the ports directly in this namespace. */
  entries(): IterableIterator<[string, Port]> {
    return this.portMap.entries();
  }

  /** Iterates `[name, port]` pairs, like a `Map`. */
  [Symbol.iterator](): IterableIterator<[string, Port]> {
    return this.portMap.entries();
  }

  /** The ports directly in this namespace as a plain object (a snapshot). */
  get ports(): Readonly<Record<string, Port>> {
    return Object.fromEntries(this.portMap);
  }

  // ---------------------------------------------------------------- sealing

  /** Whether ports can no longer be added or removed. */
  get sealed(): boolean {
    return this._sealed;
  }

  /** Forbid adding and removing ports here and in all nested namespaces. */
  seal(): void {
    this._sealed = true;
    for (const port of this.portList) if (port instanceof PortNamespace) port.seal();
  }

  private assertNotSealed(what: string): void {
    if (this._sealed) {
      throw new PortDefinitionError(`Cannot ${what} in port namespace '${this.name}' after it has been sealed`);
    }
  }

  // ---------------------------------------------------------------- building

  /**
   * Put a port into this namespace, replacing any port of the same name. A dotted name puts it
   * into nested namespaces, which are created as needed.
   *
   * @param port - the port
   * @param name - where to put it (default: the port's name)
   * @returns the port
   * @throws PortDefinitionError when sealed, or when a part of the path is a port, not a namespace
   */
  addPort<P extends Port>(port: P, name: string = port.name): P {
    if (!(port instanceof Port)) throw new TypeError('port needs to be an instance of Port');
    const dot = name.lastIndexOf(NAMESPACE_SEPARATOR);
    if (dot !== -1) {
      this.createPortNamespace(name.slice(0, dot)).addPort(port, name.slice(dot + 1));
      return port;
    }
    checkName(name);
    this.assertNotSealed(`add port '${name}'`);
    this.setPort(name, port);
    return port;
  }

  /**
   * Remove the port with this (undotted) name.
   *
   * @returns whether there was one
   * @throws PortDefinitionError when sealed
   */
  removePort(name: string): boolean {
    this.assertNotSealed(`remove port '${name}'`);
    const removed = this.portMap.delete(name);
    if (removed) this.portList = [...this.portMap.values()];
    return removed;
  }

  private setPort(name: string, port: Port): void {
    const existed = this.portMap.has(name);
    this.portMap.set(name, port);
    if (existed) this.portList = [...this.portMap.values()];
    else this.portList.push(port);
  }

  /**
   * Return the namespace at a (dotted) name, creating missing ones. Only a newly created terminal
   * namespace gets `options`; intermediate and existing namespaces are left as they are.
   *
   * @throws PortDefinitionError when a name on the path is taken by a port that is not a
   *   namespace, or when a namespace must be created in a sealed one
   */
  createPortNamespace(name: string, options: PortNamespaceOptions = {}): PortNamespace {
    checkName(name);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let namespace: PortNamespace = this;
    const parts = name.split(NAMESPACE_SEPARATOR);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      checkName(part);
      const existing = namespace.portMap.get(part);
      if (existing === undefined) {
        namespace.assertNotSealed(`add port namespace '${part}'`);
        const created = namespace.createNamespace(part, i === parts.length - 1 ? options : {});
        namespace.setPort(part, created);
        namespace = created;
      } else if (existing instanceof PortNamespace) {
        namespace = existing;
      } else {
        throw new PortDefinitionError(`the name '${part}' in '${namespace.name}' already contains a Port`);
      }
    }
    return namespace;
  }

  /**
   * Make a namespace of the same class as this one. Subclasses whose constructor differs
   * override this.
   */
  protected createNamespace(name: string, options: PortNamespaceOptions): PortNamespace {
    const ctor = this.constructor as new (name: string, options: PortNamespaceOptions) => PortNamespace;
    return new ctor(name, options);
  }

  // ---------------------------------------------------------------- lookup

  /**
   * The port at a (dotted) name: `getPort('sub.name.space.port')`.
   *
   * @throws PortNotFoundError when a part of the path does not exist (unless `createDynamically`
   *   applies) or is not a namespace
   */
  getPort(name: string, options: GetPortOptions = {}): Port {
    if (typeof name !== 'string' || name === '') {
      throw new PortNotFoundError(String(name), 'name must be a non-empty string');
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let namespace: PortNamespace = this;
    let start = 0;
    for (;;) {
      const dot = name.indexOf(NAMESPACE_SEPARATOR, start);
      const part = dot === -1 ? name.slice(start) : name.slice(start, dot);
      let port = namespace.portMap.get(part);
      if (port === undefined) {
        if (!options.createDynamically || !namespace.dynamic) {
          throw new PortNotFoundError(name, `port '${part}' does not exist in port namespace '${namespace.name}'`);
        }
        port = namespace.createNamespace(part, namespace.inheritableOptions());
        namespace.setPort(part, port);
      }
      if (dot === -1) return port;
      if (!(port instanceof PortNamespace)) {
        throw new PortNotFoundError(name, `port '${part}' in port namespace '${namespace.name}' is not a namespace`);
      }
      namespace = port;
      start = dot + 1;
    }
  }

  /** The port at a (dotted) name, or `undefined` when there is none. Never creates anything. */
  tryGetPort(name: string): Port | undefined {
    let dot = name.indexOf(NAMESPACE_SEPARATOR);
    if (dot === -1) return this.portMap.get(name);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let namespace: PortNamespace = this;
    let start = 0;
    for (;;) {
      const port = namespace.portMap.get(dot === -1 ? name.slice(start) : name.slice(start, dot));
      if (dot === -1 || port === undefined) return port;
      if (!(port instanceof PortNamespace)) return undefined;
      namespace = port;
      start = dot + 1;
      dot = name.indexOf(NAMESPACE_SEPARATOR, start);
    }
  }

  /** Whether a port exists at a (dotted) name. */
  hasPort(name: string): boolean {
    return this.tryGetPort(name) !== undefined;
  }

  private inheritableOptions(): PortNamespaceOptions {
    const options: PortNamespaceOptions = {
      required: this.required,
      dynamic: this.dynamic,
      populateDefaults: this.populateDefaults,
    };
    if (this.validator !== undefined) options.validator = this.validator;
    if (this.validType !== undefined) options.validType = this.validType;
    if (this.hasDefault()) options.default = this._default;
    if (this.help !== undefined) options.help = this.help;
    return options;
  }

  // ---------------------------------------------------------------- absorb / project / clone

  /**
   * Absorb another namespace: copy its properties onto this one (overridable with
   * `namespaceOptions`) and copies of its ports into this one, replacing ports of the same name.
   * Nested namespaces are copied recursively with the include/exclude rules that apply inside them.
   *
   * @returns the names of the ports taken
   * @throws PortDefinitionError when both `include` and `exclude` are given, when
   *   `namespaceOptions` names something that is not a namespace property, or when sealed
   */
  absorb(source: PortNamespace, options: AbsorbOptions = {}): string[] {
    if (!(source instanceof PortNamespace)) throw new TypeError('source has to be an instance of PortNamespace');
    const { include, exclude } = options;
    if (include !== undefined && exclude !== undefined) {
      throw new PortDefinitionError('exclude and include are mutually exclusive');
    }
    const overrides: Record<string, unknown> = { ...options.namespaceOptions };
    const unsupported = Object.keys(overrides).filter((key) => !NAMESPACE_PROPERTY_NAMES.has(key));
    if (unsupported.length > 0) {
      throw new PortDefinitionError(
        `the namespaceOptions ${JSON.stringify(unsupported)} are not supported PortNamespace properties`,
      );
    }
    this.assertNotSealed('absorb ports');
    const pick = <K extends keyof NamespaceProperties>(key: K, own: unknown): unknown =>
      hasOwn(overrides, key) ? overrides[key] : own;

    this.help = pick('help', source.help) as string | undefined;
    this.required = (pick('required', source.required) as boolean | undefined) ?? true;
    this.validator = pick('validator', source.validator) as PortValidator | undefined;
    this.default = pick('default', source._default);
    this.dynamic = (pick('dynamic', source.dynamic) as boolean | undefined) ?? false;
    this.populateDefaults = (pick('populateDefaults', source.populateDefaults) as boolean | undefined) ?? true;
    this.validType = pick('validType', source.validType) as ValidType;

    const absorbed: string[] = [];
    for (const [name, port] of source.portMap) {
      if (exclude !== undefined && exclude.includes(name)) continue;
      if (port instanceof PortNamespace) {
        if (include !== undefined && !rulesTouch(name, include)) continue;
        const sub: AbsorbOptions = {};
        if (include !== undefined && !include.includes(name)) sub.include = stripNamespace(name, include);
        if (exclude !== undefined) sub.exclude = stripNamespace(name, exclude);
        const copy = port.createNamespace(name, {});
        copy.absorb(port, sub);
        this.setPort(name, copy);
      } else {
        if (include !== undefined && !include.includes(name)) continue;
        this.setPort(name, port.clone(name));
      }
      absorbed.push(name);
    }
    return absorbed;
  }

  /**
   * The part of `values` whose keys are ports of this namespace, recursing into nested
   * namespaces.
   */
  project(values: PortValues): PortValues {
    const result: PortValues = {};
    for (const name of Object.keys(values)) {
      const port = this.portMap.get(name);
      if (port === undefined) continue;
      const value = values[name];
      result[name] = port instanceof PortNamespace && isPlainObject(value) ? port.project(value) : value;
    }
    return result;
  }

  /** A deep copy of this namespace (properties and ports), unsealed. */
  override clone(name: string = this.name): PortNamespace {
    const copy = this.createNamespace(name, {});
    copy.absorb(this);
    return copy;
  }

  // ---------------------------------------------------------------- pre-processing

  /**
   * Map values onto this namespace, filling in defaults: a missing value of a port with a default
   * gets the default (a lazy default is called now), and a missing nested namespace with ports is
   * filled recursively unless its `populateDefaults` is off. Returns new objects; `values` is not
   * changed. Values that are not plain objects where a namespace is expected are kept as they are.
   */
  preProcess(values: PortValues = EMPTY): PortValues {
    const result: PortValues = { ...values };
    for (const port of this.portList) {
      const name = port.name;
      let value = ownValue(result, name);
      if (value === undefined) {
        if (port instanceof PortNamespace) {
          if (!port.populateDefaults) continue;
          if (port.hasDefault()) value = port.resolveDefault();
          else if (port.portList.length > 0) value = EMPTY;
          else continue;
        } else if (port instanceof InputPort && port.hasDefault()) {
          result[name] = port.resolveDefault();
          continue;
        } else {
          continue;
        }
      }
      if (port instanceof PortNamespace && isPlainObject(value)) result[name] = port.preProcess(value);
      else result[name] = value;
    }
    return result;
  }

  // ---------------------------------------------------------------- validation

  /**
   * Validate the value object of this namespace: every declared port, then the undeclared keys
   * against `dynamic`/`validType`, then the namespace validator. A namespace that is not required
   * and gets no values is valid without further checks.
   *
   * @param values - the values; `undefined`/`null` count as `{}`
   * @param breadcrumbs - the names of the enclosing namespaces, outermost first
   * @returns the first error found, or `undefined`
   */
  override validate(values?: unknown, breadcrumbs: readonly string[] = NO_CRUMBS): PortValidationError | undefined {
    if (values === undefined || values === null || values === UNSPECIFIED) values = EMPTY;
    if (!isPlainObject(values)) {
      return new PortValidationError(
        `specified value is of type '${describeValueType(values)}' which is not a plain object`,
        [...breadcrumbs, this.name],
      );
    }
    let provided = 0;
    for (const key in values) if (values[key] !== undefined) provided++;
    if (provided === 0 && !this.required) return undefined;

    const list = this.portList;
    let matched = 0;
    if (list.length > 0) {
      const local = breadcrumbs.length === 0 ? this.ownPath : [...breadcrumbs, this.name];
      for (let i = 0; i < list.length; i++) {
        const port = list[i] as Port;
        const value = ownValue(values, port.name);
        if (value !== undefined) matched++;
        const error = port.validate(value, local);
        if (error !== undefined) return error;
      }
    }
    if (matched < provided) {
      const error = this.validateDynamicPorts(this.undeclared(values), breadcrumbs);
      if (error !== undefined) return error;
    }
    if (this.validator !== undefined) {
      const message = this.validator(values, this);
      if (typeof message === 'string') return new PortValidationError(message, [...breadcrumbs, this.name]);
    }
    return undefined;
  }

  /**
   * Like {@link PortNamespace.validate}, but collects every failure instead of stopping at the
   * first: each invalid port (at any depth) and each invalid dynamic key gets its own error. The
   * namespace validator runs only when everything inside it is valid, since it relies on them.
   *
   * @returns all errors, outermost namespace first; empty when valid
   */
  validateAll(values?: unknown, breadcrumbs: readonly string[] = NO_CRUMBS): PortValidationError[] {
    if (values === undefined || values === null || values === UNSPECIFIED) values = EMPTY;
    if (!isPlainObject(values)) {
      const error = this.validate(values, breadcrumbs);
      return error === undefined ? [] : [error];
    }
    let provided = 0;
    for (const key in values) if (values[key] !== undefined) provided++;
    if (provided === 0 && !this.required) return [];

    const errors: PortValidationError[] = [];
    const local = [...breadcrumbs, this.name];
    for (const port of this.portList) {
      const value = ownValue(values, port.name);
      if (port instanceof PortNamespace) {
        errors.push(...port.validateAll(value, local));
      } else {
        const error = port.validate(value, local);
        if (error !== undefined) errors.push(error);
      }
    }
    const extra = this.undeclared(values);
    if (!this.dynamic) {
      const error = this.validateDynamicPorts(extra, breadcrumbs);
      if (error !== undefined) errors.push(error);
    } else {
      for (const key of Object.keys(extra)) {
        const error = this.validateDynamicPorts({ [key]: extra[key] }, breadcrumbs);
        if (error !== undefined) errors.push(error);
      }
    }
    if (errors.length === 0 && this.validator !== undefined) {
      const message = this.validator(values, this);
      if (typeof message === 'string') errors.push(new PortValidationError(message, local));
    }
    return errors;
  }

  private undeclared(values: PortValues): PortValues {
    const extra: PortValues = {};
    for (const key of Object.keys(values)) {
      const value = values[key];
      if (value !== undefined && !this.portMap.has(key)) extra[key] = value;
    }
    return extra;
  }

  /**
   * Validate values that have no declared port: rejected unless the namespace is dynamic; with a
   * `validType`, every leaf (walking nested plain objects that do not match it) must match it.
   *
   * @param values - the undeclared keys and their values
   * @param breadcrumbs - the names of the enclosing namespaces (without this one)
   */
  validateDynamicPorts(values: PortValues, breadcrumbs: readonly string[] = NO_CRUMBS): PortValidationError | undefined {
    const keys = Object.keys(values).filter((key) => values[key] !== undefined);
    if (keys.length === 0) return undefined;
    if (!this.dynamic) {
      const unexpected: PortValues = {};
      for (const key of keys) unexpected[key] = values[key];
      return new PortValidationError(`Unexpected ports ${formatJson(unexpected)}, for a non dynamic namespace`, [
        ...breadcrumbs,
        this.name,
      ]);
    }
    if (this.validType === undefined) return undefined;
    for (const key of keys) {
      const error = this.validateDynamicLeaf(values[key], [...breadcrumbs, this.name, key]);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  private validateDynamicLeaf(value: unknown, path: readonly string[]): PortValidationError | undefined {
    if (this.isValidType(value)) return undefined;
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        const nested = value[key];
        if (nested === undefined) continue;
        const error = this.validateDynamicLeaf(nested, [...path, key]);
        if (error !== undefined) return error;
      }
      return undefined;
    }
    return new PortValidationError(
      `Invalid type '${describeValueType(value)}' for dynamic port value: expected '${describeValidType(this.validType)}'`,
      path,
    );
  }

  /**
   * Validate one value addressed by a (dotted) name relative to this namespace, as when a process
   * emits an output: a declared port validates it; otherwise the deepest existing namespace on the
   * path judges it as a dynamic value. Nothing is created.
   *
   * @param name - the (dotted) name, e.g. `'ns.port'`
   * @param value - the value
   * @param breadcrumbs - the names of the enclosing namespaces (without this one)
   */
  validateValueAt(name: string, value: unknown, breadcrumbs: readonly string[] = NO_CRUMBS): PortValidationError | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let namespace: PortNamespace = this;
    let crumbs = breadcrumbs;
    let start = 0;
    for (;;) {
      const dot = name.indexOf(NAMESPACE_SEPARATOR, start);
      const part = dot === -1 ? name.slice(start) : name.slice(start, dot);
      const port = namespace.portMap.get(part);
      if (port === undefined) {
        let nested: unknown = value;
        if (dot !== -1) {
          const rest = name.slice(dot + 1).split(NAMESPACE_SEPARATOR);
          for (let i = rest.length - 1; i >= 0; i--) nested = { [rest[i] as string]: nested };
        }
        return namespace.validateDynamicPorts({ [part]: nested }, crumbs);
      }
      crumbs = crumbs.length === 0 ? namespace.ownPath : [...crumbs, namespace.name];
      if (dot === -1) return port.validate(value, crumbs);
      if (!(port instanceof PortNamespace)) {
        return new PortValidationError(`port '${part}' is not a namespace`, [...crumbs, part]);
      }
      namespace = port;
      start = dot + 1;
    }
  }

  // ---------------------------------------------------------------- description

  /** A JSON-able description: the namespace attributes under `_attrs` and each port's description. */
  override getDescription(): PortNamespaceDescription {
    const attrs: PortNamespaceAttributes = {
      dynamic: this.dynamic,
      validType: describeValidType(this.validType) ?? null,
      required: this.required,
      help: this.help ?? null,
      populateDefaults: this.populateDefaults,
    };
    if (this.hasDefault()) attrs.default = toJsonValue(this._default);
    const description: PortNamespaceDescription = { _attrs: attrs };
    for (const [name, port] of this.portMap) description[name] = port.getDescription();
    return description;
  }

  /** The description as indented JSON. */
  override toString(): string {
    return JSON.stringify(this.getDescription(), null, 4);
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new PortDefinitionError('a port name must be a non-empty string');
  }
}
