import { SuperJSON } from 'superjson';
import { captureBundleData, Bundle, validateBundleData } from './bundle.js';
import type { BundleData } from './bundle-data.js';
import { PersistenceError } from './errors.js';
import { LoadSaveContext } from './load-save-context.js';
import type { Checkpointable } from './savable.js';
import { encodeSuperJson } from './superjson-encoder.js';

/** A private superjson instance: no classes, symbols or custom transformers are registered, so none can be revived. */
const superjson = new SuperJSON();
/** What superjson's deserializer takes (its own type is not exported from the package root). */
type SuperJsonResult = Parameters<SuperJSON['deserialize']>[0];
const defaultContext = new LoadSaveContext();

/**
 * The superjson text of a bundle: Dates, Maps, Sets, BigInts, `undefined`,
 * RegExps, Errors and non-finite numbers survive. Every persister that stores
 * text should use this codec.
 * @throws PersistenceError if the state holds a value that is not plain data.
 */
export function serializeBundle(bundle: BundleData): string {
  const { format, version, classId, pid, revision, state } = bundle;
  return JSON.stringify(encodeSuperJson({ format, version, classId, pid, revision, state }, 'bundle'));
}

/**
 * Reads a bundle written by {@link serializeBundle}.
 * @param source names the text in error messages (a file path, an object key).
 * @throws PersistenceError naming `source` if the text is corrupt, not a bundle,
 * or of an unknown bundle version.
 */
export function deserializeBundle(text: string, source = 'bundle text'): Bundle {
  const data = parseBundle(text, source);
  return Bundle.fromOwnedData(data, () => parseBundle(text, source).state);
}

/** Parses and checks a bundle's text (superjson). */
export function parseBundle(text: string, source: string): BundleData {
  let data: unknown;
  try {
    data = decodeSuperJson(JSON.parse(text));
  } catch (error) {
    throw new PersistenceError(`Cannot read ${source}: it is corrupt or truncated (${errorMessage(error)})`, { cause: error });
  }
  validateBundleData(data, source);
  return data;
}

/**
 * Turns a parsed superjson document back into its value, in place. A document
 * without annotations (the common case: plain JSON state) is its `json` as is;
 * otherwise the private superjson instance applies the annotations, reviving
 * only its built-in types (Date, Map, Set, BigInt, undefined, RegExp, Error,
 * special numbers): no class, symbol or custom type is registered in it.
 */
function decodeSuperJson(document: unknown): unknown {
  if (typeof document !== 'object' || document === null) return undefined;
  const parsed = document as SuperJsonResult;
  if (parsed.meta === undefined) return parsed.json;
  return superjson.deserialize(parsed, { inPlace: true });
}

/** A checkpoint taken and serialized in one go by {@link serializeCheckpoint}. */
export interface SerializedCheckpoint {
  /** The process's pid as a string. */
  readonly pid: string;
  /** The revision of this checkpoint. */
  readonly revision: number;
  /** The class identifier. */
  readonly classId: string;
  /** The superjson text of the bundle. */
  readonly text: string;
}

/**
 * Takes a checkpoint of `savable` and serializes it immediately: the snapshot a
 * text-storing persister takes synchronously in `saveCheckpoint`, before any
 * await. Advances the savable's revision (like `Bundle.checkpoint`) and costs
 * less than bundling then serializing, since the state is not copied first.
 * @throws PersistenceError if the savable has no pid or its state is not plain data.
 */
export function serializeCheckpoint(savable: Checkpointable, context: LoadSaveContext = defaultContext): SerializedCheckpoint {
  const data = captureBundleData(savable, context, true);
  return { pid: String(data.pid), revision: data.revision, classId: data.classId, text: serializeBundle(data) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
