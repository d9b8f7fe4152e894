/**
 * Checkpoint revisions, tracked per instance so that a Savable need not store
 * them itself. A revision grows by one with every checkpoint taken of an
 * instance; an instance recreated by `Bundle.unbundle()` starts at its bundle's
 * revision.
 *
 * The revision is kept in a non-enumerable property private to this module
 * (invisible to `Object.keys`, JSON and equality checks). A WeakMap entry per
 * instance would do too, but every entry for a short-lived instance makes each
 * garbage collection walk the table, which costs more than a whole checkpoint
 * load; the WeakMap is kept only for instances that cannot take a property
 * (frozen, sealed or non-extensible ones).
 */
const revisionKey = Symbol('plumpy-ts.checkpointRevision');
const frozenRevisions = new WeakMap<object, number>();

type WithRevision = { [revisionKey]?: number };

/** The revision of the last checkpoint taken of (or loaded into) `savable`; 0 if none. */
export function checkpointRevision(savable: object): number {
  const own = (savable as WithRevision)[revisionKey];
  if (typeof own === 'number') return frozenRevisions.get(savable) ?? own;
  return frozenRevisions.get(savable) ?? 0;
}

/** Advances the checkpoint revision of `savable` and returns the new revision. */
export function advanceCheckpointRevision(savable: object): number {
  const next = checkpointRevision(savable) + 1;
  setCheckpointRevision(savable, next);
  return next;
}

/** Sets the checkpoint revision of `savable` (used when it is recreated from a bundle). */
export function setCheckpointRevision(savable: object, revision: number): void {
  const target = savable as WithRevision;
  if (Object.prototype.hasOwnProperty.call(target, revisionKey)) {
    // Writable unless the instance was frozen after its first checkpoint.
    if (Object.isFrozen(target)) frozenRevisions.set(savable, revision);
    else target[revisionKey] = revision;
  } else if (Object.isExtensible(target)) {
    Object.defineProperty(target, revisionKey, { value: revision, writable: true, configurable: true, enumerable: false });
  } else {
    frozenRevisions.set(savable, revision);
  }
}
