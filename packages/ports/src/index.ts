export { UNSPECIFIED, isUnspecified } from './unspecified.js';
export type { Unspecified } from './unspecified.js';
export type { TypeConstructor, ValidType, TypeCheck } from './valid-type.js';
export { compileTypeCheck, describeValidType, describeValueType, isPlainObject } from './valid-type.js';
export type { JsonValue } from './json-value.js';
export { toJsonValue, formatJson } from './json-value.js';
export { PortValidationError } from './port-validation-error.js';
export { PortDefinitionError } from './port-definition-error.js';
export { PortNotFoundError } from './port-not-found-error.js';
export { Port } from './port.js';
export type { PortOptions, PortValidator } from './port.js';
export type {
  PortDescription,
  PortNamespaceAttributes,
  PortNamespaceDescription,
  AnyPortDescription,
} from './descriptions.js';
export { InputPort } from './input-port.js';
export type { InputPortOptions } from './input-port.js';
export { OutputPort } from './output-port.js';
export type { OutputPortOptions } from './output-port.js';
export { PortNamespace } from './port-namespace.js';
export type {
  PortNamespaceOptions,
  NamespaceProperties,
  AbsorbOptions,
  GetPortOptions,
  PortValues,
} from './port-namespace.js';
export { NAMESPACE_SEPARATOR } from './namespace-rules.js';
export { ExitCode } from './exit-code.js';
export type { ExitCodeData } from './exit-code.js';
export { ProcessSpec } from './process-spec.js';
export type { SpecProvider, ExposeOptions, ProcessSpecDescription } from './process-spec.js';
