/**
 * Checkpoint revisions, tracked per instance so that a Savable need not store
 * them itself. A revision grows by one with every checkpoint taken of an
 * instance; an instance recreated by `Bundle.unbundle()` starts at its bundle's
 * revision.
 */
const revisions = new WeakMap<object, number>();

/** The revision of the last checkpoint taken of (or loaded into) `savable`; 0 if none. */
export function checkpointRevision(savable: object): number {
  return revisions.get(savable) ?? 0;
}

/** Advances the checkpoint revision of `savable` and returns the new revision. */
export function advanceCheckpointRevision(savable: object): number {
  const next = (revisions.get(savable) ?? 0) + 1;
  revisions.set(savable, next);
  return next;
}

/** Sets the checkpoint revision of `savable` (used when it is recreated from a bundle). */
export function setCheckpointRevision(savable: object, revision: number): void {
  revisions.set(savable, revision);
}
