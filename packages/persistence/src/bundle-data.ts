import type { SavedState } from './savable.js';

/** The format marker of a bundle's plain data. */
export const BUNDLE_FORMAT = 'plumpy-ts.bundle';

/** The bundle version this package writes and reads. */
export const BUNDLE_VERSION = 1;

/** A bundle as plain data: what persisters store (after superjson). */
export interface BundleData {
  /** Always {@link BUNDLE_FORMAT}. */
  readonly format: typeof BUNDLE_FORMAT;
  /** The bundle format version, {@link BUNDLE_VERSION}. */
  readonly version: number;
  /** The class's identifier in the object loader. */
  readonly classId: string;
  /** The pid of a checkpointable savable; `undefined` otherwise. */
  readonly pid: string | number | undefined;
  /** The checkpoint revision; grows with every checkpoint of the instance. */
  readonly revision: number;
  /** The saved state, plain data. */
  readonly state: SavedState;
}
