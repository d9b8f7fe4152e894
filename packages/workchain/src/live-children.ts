import type { AnyProcess } from '@plumpy-ts/process';

/**
 * Children that a saved work chain was waiting for, by pid (as a string), held
 * weakly: a work chain recreated in the same Node process re-attaches to them
 * directly. Filled when a waiting work chain is saved, so it costs nothing to
 * chains that are never saved.
 */
const children = new Map<string, WeakRef<AnyProcess>>();
/** Size of the map after the last sweep of collected entries. */
let sizeAfterSweep = 0;

/** Remembers `child` (weakly), so that a work chain recreated here can re-attach to it. */
export function rememberLiveChild(child: AnyProcess): void {
  const pid = String(child.pid);
  if (children.get(pid)?.deref() === child) return;
  children.set(pid, new WeakRef(child));
  if (children.size > 2 * sizeAfterSweep + 64) sweep();
}

/** The child process of this pid that a saved work chain was waiting for, if it is still reachable. */
export function findLiveChild(pid: string): AnyProcess | undefined {
  const ref = children.get(pid);
  if (ref === undefined) return undefined;
  const child = ref.deref();
  if (child === undefined) children.delete(pid);
  return child;
}

function sweep(): void {
  for (const [pid, ref] of children) if (ref.deref() === undefined) children.delete(pid);
  sizeAfterSweep = children.size;
}
