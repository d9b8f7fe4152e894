import { Bundle } from './bundle.js';
import type { BundleData } from './bundle-data.js';
import { parseBundle } from './codec.js';
import { PreparedClone } from './plain-data-clone.js';
import type { SavedState } from './savable.js';

/** Options of {@link CheckpointTextDecoder}. */
export interface CheckpointTextDecoderOptions {
  /** How many decoded checkpoints to remember (default 64; 0 remembers none). */
  readonly capacity?: number;
  /** Texts longer than this (in UTF-16 code units, default 1,000,000) are decoded every time, never remembered. */
  readonly maxTextLength?: number;
}

/** A decoded checkpoint remembered with the text it was decoded from. */
interface DecodedEntry {
  readonly text: string;
  readonly data: Omit<BundleData, 'state'>;
  readonly state: PreparedClone<SavedState>;
}

/**
 * Decodes checkpoint texts (see `deserializeBundle`) and remembers the
 * decoded state of the last few, each under a key (a file path, an object
 * key): decoding the same text under the same key again copies the
 * remembered state instead of parsing the text, which is several times
 * cheaper. The whole text is compared, so a changed checkpoint is always
 * parsed again. Memory is bounded by `capacity` entries of at most
 * `maxTextLength` characters (plus their decoded states). A persister that
 * stores text keeps one per instance.
 */
export class CheckpointTextDecoder {
  readonly #entries = new Map<string, DecodedEntry>();
  readonly #capacity: number;
  readonly #maxTextLength: number;

  constructor(options: CheckpointTextDecoderOptions = {}) {
    this.#capacity = nonNegativeInteger('capacity', options.capacity ?? 64);
    this.#maxTextLength = nonNegativeInteger('maxTextLength', options.maxTextLength ?? 1_000_000);
  }

  /**
   * The bundle that `text` holds.
   * @param key - where the text was read from (a file path, an object key)
   * @param source - names the text in error messages
   * @throws PersistenceError naming `source` if the text is corrupt, not a
   *   bundle, or of an unknown bundle version
   */
  decode(key: string, text: string, source: string): Bundle {
    const known = this.#entries.get(key);
    if (known !== undefined && known.text === text) return bundleOf(known);
    const { state, ...data } = parseBundle(text, source);
    if (this.#capacity === 0 || text.length > this.#maxTextLength) {
      this.#entries.delete(key);
      return Bundle.fromOwnedData({ ...data, state }, () => parseBundle(text, source).state);
    }
    const entry: DecodedEntry = { text, data, state: new PreparedClone(state, true) };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as string);
    return bundleOf(entry);
  }

  /** Forgets what was decoded under `key` (e.g. when its checkpoint is deleted). */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`CheckpointTextDecoder ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function bundleOf(entry: DecodedEntry): Bundle {
  const reload = (): SavedState => entry.state.clone();
  return Bundle.fromOwnedData({ ...entry.data, state: reload() }, reload);
}
