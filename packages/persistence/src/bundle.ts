import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleData } from './bundle-data.js';
import { PersistenceError } from './errors.js';
import { LoadSaveContext } from './load-save-context.js';
import { copyPlainData } from './plain-data.js';
import { PreparedClone } from './plain-data-clone.js';
import { advanceCheckpointRevision, checkpointRevision, setCheckpointRevision } from './revision.js';
import type { Checkpointable, LoadableClass, Savable, SavableClass, SavedState } from './savable.js';

const defaultContext = new LoadSaveContext();

/**
 * Where a bundle's state lives. A bundle read from text owns its freshly parsed
 * state, so its first `unbundle()` may hand that state over instead of copying
 * it (when nobody has looked at `bundle.state`); the bundle then re-reads a
 * pristine state from `reload` if it is asked for it again. A bundle unbundled
 * from its kept state first swaps that state for an equal one built by
 * a {@link PreparedClone} (`prepared`), whose clones are much cheaper to make
 * than clones of objects that user code built key by key.
 */
interface StateSlot {
  state: SavedState | undefined;
  lendable: boolean;
  /** Whether `state` is known to be plain data (copied or decoded here; not so for `fromData`). */
  readonly checked: boolean;
  prepared: PreparedClone<SavedState> | undefined;
  readonly reload: (() => SavedState) | undefined;
}

/**
 * The key of a bundle's {@link StateSlot}: a non-enumerable property private to
 * this module. (Not a WeakMap: a WeakMap entry per bundle makes every garbage
 * collection walk the table, which costs more than the copy of a small state.)
 */
const stateSlot = Symbol('plumpy-ts.bundle.stateSlot');

function slotOf(bundle: Bundle): StateSlot {
  const slot = (bundle as unknown as { [stateSlot]?: StateSlot })[stateSlot];
  if (slot === undefined) throw new PersistenceError('Not a bundle made by Bundle');
  return slot;
}

/**
 * A snapshot of a {@link Savable}: plain data naming its class (by its
 * `ObjectLoader` identifier), its pid and checkpoint revision, and its saved
 * state. `new Bundle(savable)` copies the state at once, so later changes to the
 * savable do not reach the bundle. `unbundle()` recreates an instance that
 * behaves the same, without rerunning creation hooks; bundling that instance
 * gives an equal bundle. Treat a bundle as read-only.
 */
export class Bundle implements BundleData {
  /** Always `'plumpy-ts.bundle'`. */
  declare readonly format: typeof BUNDLE_FORMAT;
  /** The bundle format version. */
  declare readonly version: number;
  /** The class's identifier in the object loader. */
  declare readonly classId: string;
  /** The savable's pid, when it has one. */
  declare readonly pid: string | number | undefined;
  /** The savable's checkpoint revision when the bundle was taken. */
  declare readonly revision: number;
  /** The saved state (plain data; do not mutate). */
  declare readonly state: SavedState;

  /**
   * Snapshots `savable` (calls its `save()` and deep-copies the result). The
   * class is named through `context.loader` (default `ClassRegistry.default`,
   * which registers it on first use). Does not advance the revision: see
   * {@link Bundle.checkpoint}.
   * @throws PersistenceError if the state is not plain data or the class cannot be named.
   */
  constructor(savable: Savable, context: LoadSaveContext = defaultContext) {
    const data = captureBundleData(savable, context, false);
    assign(this, { ...data, state: copyPlainData(data.state) }, undefined, true);
  }

  /**
   * The snapshot a persister takes in `saveCheckpoint`: advances the savable's
   * checkpoint revision, then bundles it. Requires a pid.
   * @throws PersistenceError if the savable has no pid or cannot be bundled.
   */
  static checkpoint(savable: Checkpointable, context: LoadSaveContext = defaultContext): Bundle {
    const data = captureBundleData(savable, context, true);
    const bundle = Object.create(Bundle.prototype) as Bundle;
    assign(bundle, { ...data, state: copyPlainData(data.state) }, undefined, true);
    return bundle;
  }

  /**
   * A bundle holding `data` as is (no copy), after checking its format and version.
   * @throws PersistenceError for data that is not a bundle or of an unknown version.
   */
  static fromData(data: BundleData, source = 'bundle'): Bundle {
    validateBundleData(data, source);
    const bundle = Object.create(Bundle.prototype) as Bundle;
    assign(bundle, data, undefined, false);
    return bundle;
  }

  /**
   * A bundle owning `data` (freshly decoded, referenced by nobody else), whose
   * `reload` decodes the same state again. Used by `deserializeBundle`.
   * @internal
   */
  static fromOwnedData(data: BundleData, reload: () => SavedState): Bundle {
    const bundle = Object.create(Bundle.prototype) as Bundle;
    assign(bundle, data, reload, true);
    return bundle;
  }

  /** The bundle's plain data. */
  toData(): BundleData {
    const { format, version, classId, pid, revision, state } = this;
    return { format, version, classId, pid, revision, state };
  }

  /**
   * Recreates the savable: loads its class through `context.loader` and calls
   * its static `recreateFromSavedState` with a private copy of the state and the
   * context. The new instance's checkpoint revision is the bundle's.
   * @throws UnknownClassError if the loader does not know the class (nothing is imported).
   * @throws PersistenceError if the class is not a SavableClass.
   */
  unbundle<T extends Savable = Savable>(context: LoadSaveContext = defaultContext): T {
    const cls = context.loader.load(this.classId);
    const recreate = (cls as Partial<SavableClass>).recreateFromSavedState;
    if (typeof recreate !== 'function') {
      throw new PersistenceError(
        `Class '${this.classId}' (${cls.name}) cannot be unbundled: it has no static recreateFromSavedState(state, context)`,
      );
    }
    const slot = slotOf(this);
    let state: SavedState;
    if (slot.lendable && slot.state !== undefined) {
      state = slot.state; // nobody else holds it: hand it over instead of copying
      slot.state = undefined;
      slot.lendable = false;
    } else {
      if (slot.prepared === undefined || slot.state === undefined) {
        slot.prepared = new PreparedClone(slot.checked ? this.state : copyPlainData(this.state));
        slot.state = slot.prepared.value; // an equal state, cheaper to clone
      }
      state = slot.prepared.clone();
    }
    const instance = recreate.call(cls, state, context);
    setCheckpointRevision(instance, this.revision);
    return instance as T;
  }
}

/**
 * Calls `savable.save()` and wraps the (uncopied) state with the bundle fields.
 * Used by `Bundle` and by the serializing persisters, which encode the state
 * directly instead of copying it.
 */
export function captureBundleData(savable: Savable, context: LoadSaveContext, advance: boolean): BundleData {
  if (typeof savable !== 'object' || savable === null || typeof savable.save !== 'function') {
    throw new PersistenceError('Cannot bundle a value that has no save(context) method');
  }
  const cls = savable.constructor as LoadableClass;
  const classId = context.loader.identify(cls);
  let pid: string | number | undefined;
  if (advance) {
    pid = (savable as Partial<Checkpointable>).pid;
    if (typeof pid !== 'string' && typeof pid !== 'number') {
      throw new PersistenceError(`Cannot checkpoint an instance of ${cls.name}: it has no pid (a string or a number)`);
    }
  } else {
    const maybePid = (savable as Partial<Checkpointable>).pid;
    pid = typeof maybePid === 'string' || typeof maybePid === 'number' ? maybePid : undefined;
  }
  const state = savable.save(context);
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new PersistenceError(`${cls.name}.save() must return a plain object, got ${describe(state)}`);
  }
  const revision = advance ? advanceCheckpointRevision(savable) : checkpointRevision(savable);
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, classId, pid, revision, state };
}

/**
 * Checks that `data` is a bundle of a supported version.
 * @throws PersistenceError naming `source` otherwise.
 */
export function validateBundleData(data: unknown, source: string): asserts data is BundleData {
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new PersistenceError(`${source} is not a plumpy-ts bundle`);
  }
  const { version, classId, pid, revision, state } = data as Record<string, unknown>;
  if (version !== BUNDLE_VERSION) {
    throw new PersistenceError(
      `${source} has bundle version ${String(version)}, which this version of @plumpy-ts/persistence cannot read ` +
        `(it reads version ${BUNDLE_VERSION})`,
    );
  }
  if (
    typeof classId !== 'string' ||
    (pid !== undefined && typeof pid !== 'string' && typeof pid !== 'number') ||
    typeof revision !== 'number' ||
    typeof state !== 'object' ||
    state === null
  ) {
    throw new PersistenceError(`${source} is a malformed bundle (bad classId, pid, revision or state)`);
  }
}

function assign(bundle: Bundle, data: BundleData, reload: (() => SavedState) | undefined, checked: boolean): void {
  const target = bundle as { -readonly [K in keyof BundleData]: BundleData[K] };
  target.format = data.format;
  target.version = data.version;
  target.classId = data.classId;
  target.pid = data.pid;
  target.revision = data.revision;
  const slot: StateSlot = { state: data.state, lendable: reload !== undefined, checked, prepared: undefined, reload };
  Object.defineProperty(bundle, stateSlot, { value: slot });
  Object.defineProperty(bundle, 'state', { enumerable: true, get: stateOf });
  Object.freeze(bundle);
}

function stateOf(this: Bundle): SavedState {
  const slot = slotOf(this);
  slot.lendable = false;
  if (slot.state === undefined) slot.state = (slot.reload as () => SavedState)();
  return slot.state;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
