import { ExitCode } from './exit-code.js';
import type { InputPortOptions } from './input-port.js';
import { InputPort } from './input-port.js';
import { NAMESPACE_SEPARATOR } from './namespace-rules.js';
import type { OutputPortOptions } from './output-port.js';
import { OutputPort } from './output-port.js';
import type { Port } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import type { PortNamespaceDescription } from './descriptions.js';
import type { AbsorbOptions, PortNamespaceOptions, PortValues } from './port-namespace.js';
import { PortNamespace } from './port-namespace.js';
import type { PortValidationError } from './port-validation-error.js';
import { isPlainObject } from './valid-type.js';

/**
 * Anything that has a spec, such as a process class (`static spec(): ProcessSpec`). Used to
 * expose another process's ports without this package depending on processes.
 */
export interface SpecProvider {
  /** The provider's (sealed or not) spec. */
  spec(): ProcessSpec;
}

/** Options of {@link ProcessSpec.exposeInputs} and {@link ProcessSpec.exposeOutputs}. */
export interface ExposeOptions extends AbsorbOptions {
  /** A (dotted) namespace to put the exposed ports in; default: the top level. */
  namespace?: string;
}

/** The JSON-able description of a spec, as returned by {@link ProcessSpec.getDescription}. */
export interface ProcessSpecDescription {
  /** The input namespace's description. */
  inputs: PortNamespaceDescription;
  /** The output namespace's description. */
  outputs: PortNamespaceDescription;
}

type ExposeMemory = Map<string, Map<SpecProvider, readonly string[]>>;

/**
 * The specification of a process: its input and output ports (in the namespaces `inputs` and
 * `outputs`, so error breadcrumbs read `inputs.ns.port`), its exit codes and the ports it exposes
 * from other processes. Filled in by `static define(spec)` and sealed when the process class is
 * first instantiated; after that no port can be added.
 *
 * Subclass it to carry more (a workchain spec adds an outline); override the `create*` methods
 * to use other port classes.
 */
export class ProcessSpec {
  /** The name of the input namespace. */
  static readonly NAME_INPUTS_PORT_NAMESPACE: string = 'inputs';
  /** The name of the output namespace. */
  static readonly NAME_OUTPUTS_PORT_NAMESPACE: string = 'outputs';

  /** The top-level input namespace. */
  readonly inputs: PortNamespace;
  /** The top-level output namespace. */
  readonly outputs: PortNamespace;
  /** The declared exit codes by name: `spec.exitCodes.ERROR_NAME`. */
  readonly exitCodes: Readonly<Record<string, ExitCode>>;
  private readonly exitCodeTable: Record<string, ExitCode>;
  private readonly exposedInputMemory: ExposeMemory = new Map();
  private readonly exposedOutputMemory: ExposeMemory = new Map();
  private _sealed = false;

  constructor() {
    this.inputs = this.createNamespace(ProcessSpec.NAME_INPUTS_PORT_NAMESPACE, {});
    this.outputs = this.createNamespace(ProcessSpec.NAME_OUTPUTS_PORT_NAMESPACE, {});
    this.exitCodeTable = Object.create(null) as Record<string, ExitCode>;
    this.exitCodes = this.exitCodeTable;
  }

  /** Make a namespace; override to use a {@link PortNamespace} subclass. */
  protected createNamespace(name: string, options: PortNamespaceOptions): PortNamespace {
    return new PortNamespace(name, options);
  }

  /** Make an input port; override to use an {@link InputPort} subclass. */
  protected createInputPort(name: string, options: InputPortOptions): InputPort {
    return new InputPort(name, options);
  }

  /** Make an output port; override to use an {@link OutputPort} subclass. */
  protected createOutputPort(name: string, options: OutputPortOptions): OutputPort {
    return new OutputPort(name, options);
  }

  /** The separator of dotted port names (`'.'`). */
  get namespaceSeparator(): string {
    return NAMESPACE_SEPARATOR;
  }

  // ---------------------------------------------------------------- sealing

  /** Whether the spec is sealed. */
  get sealed(): boolean {
    return this._sealed;
  }

  /** Seal the spec: no more ports, namespaces, exit codes or exposed processes can be added. */
  seal(): void {
    this._sealed = true;
    this.inputs.seal();
    this.outputs.seal();
  }

  /** @throws PortDefinitionError when the spec is sealed. */
  protected assertNotSealed(what: string): void {
    if (this._sealed) throw new PortDefinitionError(`Cannot add ${what} after the spec has been sealed`);
  }

  // ---------------------------------------------------------------- declaring ports

  /**
   * Declare an input port. A dotted name (`'ns.sub.port'`) creates the namespaces on the way.
   * Declaring a name again replaces the port.
   */
  input(name: string, options: InputPortOptions = {}): InputPort {
    this.assertNotSealed(`input port '${name}'`);
    return this.placePort(this.inputs, name, (portName) => this.createInputPort(portName, options));
  }

  /** Declare an output port; a dotted name creates the namespaces on the way. */
  output(name: string, options: OutputPortOptions = {}): OutputPort {
    this.assertNotSealed(`output port '${name}'`);
    return this.placePort(this.outputs, name, (portName) => this.createOutputPort(portName, options));
  }

  /**
   * Declare an input namespace. If one exists at that name, the given options are applied to it
   * and its ports are kept.
   */
  inputNamespace(name: string, options: PortNamespaceOptions = {}): PortNamespace {
    this.assertNotSealed(`input namespace '${name}'`);
    return this.placeNamespace(this.inputs, name, options);
  }

  /** Declare an output namespace (as {@link ProcessSpec.inputNamespace}). */
  outputNamespace(name: string, options: PortNamespaceOptions = {}): PortNamespace {
    this.assertNotSealed(`output namespace '${name}'`);
    return this.placeNamespace(this.outputs, name, options);
  }

  private placePort<P extends Port>(root: PortNamespace, name: string, make: (portName: string) => P): P {
    const dot = name.lastIndexOf(NAMESPACE_SEPARATOR);
    const namespace = dot === -1 ? root : root.createPortNamespace(name.slice(0, dot));
    const port = make(dot === -1 ? name : name.slice(dot + 1));
    return namespace.addPort(port);
  }

  private placeNamespace(root: PortNamespace, name: string, options: PortNamespaceOptions): PortNamespace {
    const existing = root.tryGetPort(name);
    if (existing === undefined) return root.createPortNamespace(name, options);
    if (!(existing instanceof PortNamespace)) {
      throw new PortDefinitionError(`the name '${name}' in '${root.name}' already contains a Port`);
    }
    if (options.help !== undefined) existing.help = options.help;
    if (options.required !== undefined) existing.required = options.required;
    if (options.validator !== undefined) existing.validator = options.validator;
    if (options.default !== undefined) existing.default = options.default;
    if (options.dynamic !== undefined) existing.dynamic = options.dynamic;
    if (options.populateDefaults !== undefined) existing.populateDefaults = options.populateDefaults;
    if (options.validType !== undefined) existing.validType = options.validType;
    return existing;
  }

  /** Whether an input port exists at this (dotted) name. */
  hasInput(name: string): boolean {
    return this.inputs.hasPort(name);
  }

  /** Whether an output port exists at this (dotted) name. */
  hasOutput(name: string): boolean {
    return this.outputs.hasPort(name);
  }

  // ---------------------------------------------------------------- exit codes

  /**
   * Declare an exit code. Declaring a name again replaces it.
   *
   * @param status - a positive integer (0 is reserved for success)
   * @param name - the symbolic name, used as `exitCodes.NAME`
   * @param message - a human-readable message
   * @throws PortDefinitionError when the status or name is invalid, the status is taken by another
   *   name, or the spec is sealed
   */
  exitCode(status: number, name: string, message: string): ExitCode {
    this.assertNotSealed(`exit code '${name}'`);
    if (!Number.isInteger(status) || status <= 0) {
      throw new PortDefinitionError(`exit code status must be a positive integer, got ${String(status)}`);
    }
    if (typeof name !== 'string' || name === '') {
      throw new PortDefinitionError('exit code name must be a non-empty string');
    }
    if (typeof message !== 'string') throw new PortDefinitionError('exit code message must be a string');
    for (const existing of Object.values(this.exitCodeTable)) {
      if (existing.status === status && existing.name !== name) {
        throw new PortDefinitionError(`exit code status ${status} is already used by '${existing.name}'`);
      }
    }
    const exitCode = new ExitCode(status, name, message);
    this.exitCodeTable[name] = exitCode;
    return exitCode;
  }

  /** The exit code with this name or status, if declared. */
  getExitCode(nameOrStatus: string | number): ExitCode | undefined {
    if (typeof nameOrStatus === 'string') return this.exitCodeTable[nameOrStatus];
    return Object.values(this.exitCodeTable).find((exitCode) => exitCode.status === nameOrStatus);
  }

  // ---------------------------------------------------------------- exposing

  /**
   * Copy the inputs of another process into this spec, optionally into a namespace and filtered
   * by `include` or `exclude` (dotted rules reach into nested namespaces). The properties of the
   * other process's input namespace are copied onto the target namespace, overridable with
   * `namespaceOptions`.
   *
   * @throws PortDefinitionError when both `include` and `exclude` are given, or when sealed
   */
  exposeInputs(processClass: SpecProvider, options: ExposeOptions = {}): void {
    this.assertNotSealed('exposed inputs');
    this.expose(processClass.spec().inputs, this.inputs, this.exposedInputMemory, processClass, options);
  }

  /** Copy the outputs of another process into this spec (as {@link ProcessSpec.exposeInputs}). */
  exposeOutputs(processClass: SpecProvider, options: ExposeOptions = {}): void {
    this.assertNotSealed('exposed outputs');
    this.expose(processClass.spec().outputs, this.outputs, this.exposedOutputMemory, processClass, options);
  }

  private expose(
    source: PortNamespace,
    destination: PortNamespace,
    memory: ExposeMemory,
    processClass: SpecProvider,
    options: ExposeOptions,
  ): void {
    const { namespace, ...absorbOptions } = options;
    if (absorbOptions.include !== undefined && absorbOptions.exclude !== undefined) {
      throw new PortDefinitionError('exclude and include are mutually exclusive');
    }
    const target = namespace ? destination.createPortNamespace(namespace) : destination;
    const absorbed = target.absorb(source, absorbOptions);
    const key = namespace ?? '';
    let byClass = memory.get(key);
    if (byClass === undefined) {
      byClass = new Map<SpecProvider, readonly string[]>();
      memory.set(key, byClass);
    }
    byClass.set(processClass, absorbed);
  }

  /** The names of the top-level ports exposed from `processClass` into `namespace`, if any. */
  exposedInputNames(processClass: SpecProvider, namespace?: string): readonly string[] | undefined {
    return this.exposedInputMemory.get(namespace ?? '')?.get(processClass);
  }

  /** The names of the top-level output ports exposed from `processClass` into `namespace`, if any. */
  exposedOutputNames(processClass: SpecProvider, namespace?: string): readonly string[] | undefined {
    return this.exposedOutputMemory.get(namespace ?? '')?.get(processClass);
  }

  /**
   * From this process's input values, take those that were exposed from `processClass` (into
   * `namespace`): ready to be passed on to launch that process.
   */
  extractExposedInputs(values: PortValues, processClass: SpecProvider, namespace?: string): PortValues {
    return pickExposed(values, this.exposedInputNames(processClass, namespace), namespace);
  }

  /**
   * From a child's output values, take those that this spec exposes from `processClass`, placed
   * under `namespace`: ready to be emitted as this process's outputs.
   */
  extractExposedOutputs(childOutputs: PortValues, processClass: SpecProvider, namespace?: string): PortValues {
    const names = this.exposedOutputNames(processClass, namespace) ?? [];
    const picked: PortValues = {};
    for (const name of names) if (childOutputs[name] !== undefined) picked[name] = childOutputs[name];
    if (!namespace) return picked;
    let result: PortValues = picked;
    const parts = namespace.split(NAMESPACE_SEPARATOR);
    for (let i = parts.length - 1; i >= 0; i--) result = { [parts[i] as string]: result };
    return result;
  }

  // ---------------------------------------------------------------- validation

  /** Fill in input defaults (lazy defaults are evaluated now); see {@link PortNamespace.preProcess}. */
  preProcessInputs(values?: PortValues): PortValues {
    return this.inputs.preProcess(values);
  }

  /** Validate (pre-processed) input values; the first error, or `undefined`. */
  validateInputs(values?: unknown): PortValidationError | undefined {
    return this.inputs.validate(values);
  }

  /** Validate input values and return every error (see {@link PortNamespace.validateAll}). */
  validateAllInputs(values?: unknown): PortValidationError[] {
    return this.inputs.validateAll(values);
  }

  /** Validate output values and return every error (see {@link PortNamespace.validateAll}). */
  validateAllOutputs(values?: unknown): PortValidationError[] {
    return this.outputs.validateAll(values);
  }

  /** Validate output values; the first error, or `undefined`. */
  validateOutputs(values?: unknown): PortValidationError | undefined {
    return this.outputs.validate(values);
  }

  /** Validate one output addressed by a (dotted) name; see {@link PortNamespace.validateValueAt}. */
  validateOutput(name: string, value: unknown): PortValidationError | undefined {
    return this.outputs.validateValueAt(name, value);
  }

  // ---------------------------------------------------------------- description

  /** A JSON-able description of the inputs and outputs. */
  getDescription(): ProcessSpecDescription {
    return { inputs: this.inputs.getDescription(), outputs: this.outputs.getDescription() };
  }

  /** The description as indented JSON. */
  toString(): string {
    return JSON.stringify(this.getDescription(), null, 4);
  }
}

function pickExposed(values: PortValues, names: readonly string[] | undefined, namespace?: string): PortValues {
  let scope: unknown = values;
  if (namespace) {
    for (const part of namespace.split(NAMESPACE_SEPARATOR)) {
      scope = isPlainObject(scope) ? scope[part] : undefined;
    }
  }
  const result: PortValues = {};
  if (!isPlainObject(scope) || names === undefined) return result;
  for (const name of names) if (scope[name] !== undefined) result[name] = scope[name];
  return result;
}
