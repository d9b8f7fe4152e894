import type { JsonValue } from './json-value.js';

/** The JSON-able description of a port, as returned by `Port.getDescription`. */
export interface PortDescription {
  /** The port's name. */
  name: string;
  /** Whether a value is required. */
  required: boolean;
  /** The accepted type(s), e.g. `'Number'` or `'String | Number'`; absent when any is accepted. */
  validType?: string;
  /** The help string, trimmed; absent when there is none. */
  help?: string;
  /** For input ports with a default: the default rendered as JSON (a lazy default as `'[Function: name]'`). */
  default?: JsonValue;
}

/** The namespace's own attributes in its description (plumpy's `_attrs`). */
export interface PortNamespaceAttributes {
  /** The namespace default rendered as JSON; absent without one. */
  default?: JsonValue;
  /** Whether undeclared keys are accepted. */
  dynamic: boolean;
  /** The type of dynamic values, or `null` for any. */
  validType: string | null;
  /** Whether the namespace is required. */
  required: boolean;
  /** The help string, or `null`. */
  help: string | null;
  /** Whether defaults are filled in when no value is given. */
  populateDefaults: boolean;
}

/**
 * The JSON-able description of a namespace: its attributes under `_attrs` and one entry per port.
 */
export interface PortNamespaceDescription {
  /** The namespace's own attributes. */
  _attrs: PortNamespaceAttributes;
  /** The ports, by name. */
  [port: string]: PortDescription | PortNamespaceDescription | PortNamespaceAttributes;
}

/** The description of any port: a leaf port's or a namespace's. */
export type AnyPortDescription = PortDescription | PortNamespaceDescription;
