export { Bundle } from './bundle.js';
export { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleData } from './bundle-data.js';
export { CheckpointTextDecoder, type CheckpointTextDecoderOptions } from './checkpoint-text-decoder.js';
export { ClassRegistry } from './class-registry.js';
export { deserializeBundle, serializeBundle, serializeCheckpoint, type SerializedCheckpoint } from './codec.js';
export {
  CheckpointNotFoundError,
  ConcurrentModificationError,
  PersistenceError,
  UnknownClassError,
  type PersistenceErrorOptions,
} from './errors.js';
export { InMemoryPersister, type InMemoryPersisterOptions } from './in-memory-persister.js';
export { LoadSaveContext, type LoadSaveContextOptions, type LoadSaveContextValues } from './load-save-context.js';
export type { ObjectLoader } from './object-loader.js';
export { decodePathSegment, encodePathSegment } from './path-segment.js';
export type { PersistedCheckpoint, Persister } from './persister.js';
export { copyPlainData } from './plain-data.js';
export { checkpointRevision } from './revision.js';
export type { Checkpointable, LoadableClass, Savable, SavableClass, SavedState } from './savable.js';
