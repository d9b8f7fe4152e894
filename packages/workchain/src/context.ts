/**
 * A work chain's context: a plain object that persists between steps (and is
 * saved with the work chain). Any key may be read and assigned.
 */
export type WorkChainContext = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Puts `value` into `ctx` at `key` — or appends it to the array there — where
 * dots in `key` address nested objects, which are created as needed (`'a.b'`:
 * `ctx.a.b`).
 *
 * @throws TypeError when a nested key holds something other than a plain object,
 *   or an appended-to key something other than an array
 */
export function putInContext(ctx: WorkChainContext, key: string, value: unknown, append: boolean): void {
  let target = ctx;
  let name = key;
  if (key.includes('.')) {
    const parts = key.split('.');
    name = parts.pop()!;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i]!;
      const next = target[part];
      if (next === undefined) {
        const created: Record<string, unknown> = {};
        target[part] = created;
        target = created;
      } else if (isPlainObject(next)) {
        target = next;
      } else {
        throw new TypeError(
          `Cannot put '${key}' into the context: '${parts.slice(0, i + 1).join('.')}' holds a ${typeof next}, not an object`,
        );
      }
    }
  }
  if (!append) {
    target[name] = value;
    return;
  }
  const existing = target[name];
  if (existing === undefined) target[name] = [value];
  else if (Array.isArray(existing)) existing.push(value);
  else throw new TypeError(`Cannot append to '${key}' in the context: it holds a ${typeof existing}, not an array`);
}
