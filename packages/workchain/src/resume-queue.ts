/**
 * A queue whose items are handed to `run` on the next turn of the event loop
 * (one `setImmediate` for all the items queued meanwhile). A work chain whose
 * awaitables settled resumes through it, as in plumpy, where the resumption is
 * scheduled on the loop: so other callbacks already due — another chain's
 * timer, a sibling's result — run before the resumed chain's next step.
 *
 * @returns the function that queues an item
 */
export function createResumeQueue<T>(run: (item: T) => void, onError: (item: T, error: unknown) => void): (item: T) => void {
  let queued: T[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const items = queued;
    queued = [];
    for (const item of items) {
      try {
        run(item);
      } catch (error) {
        onError(item, error);
      }
    }
  };
  return (item) => {
    queued.push(item);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
