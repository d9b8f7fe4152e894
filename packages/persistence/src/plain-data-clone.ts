/**
 * Repeated cloning of plain data that is already known to be valid (a
 * bundle's own state, checked when it was copied or decoded).
 *
 * Why it looks like this: the clone of a plain object is a spread, which V8
 * makes a cheap copy sharing the source's hidden class while the spread's call
 * site has seen few shapes, and a slow runtime call once it has seen many.
 * Saved states are most uniform level by level (the entries of `ctx.data`
 * share a shape, the top level has shapes of its own), so each of the first
 * levels below the root gets its own copy of the cloner, and therefore its
 * own inline caches: the copies are deliberate. Deeper levels share one
 * generic cloner. A {@link ClonePlan}, made once per value, says which
 * children hold objects, so a clone visits nothing else.
 */

/** How to clone one object: a record or array with the plans of its children, or a kind that needs no plan. */
type ClonePlan = typeof FLAT | typeof OTHER | ContainerPlan;

/** A plain object (or array) without objects among its values: a spread (or slice) clones it. */
const FLAT = 0;
/** Anything else (Date, Map, Set, RegExp, Error, null-prototype object): cloned by the generic cloner. */
const OTHER = 1;

/** A plain object or array holding objects. */
interface ContainerPlan {
  readonly array: boolean;
  /** The plan of every child, when all of them are flat containers. */
  readonly uniform: typeof FLAT | undefined;
  /** The plans of the children in enumeration order (undefined for primitives), when not uniform. */
  readonly children: (ClonePlan | undefined)[];
}

/** Cloners for the levels below the root: level `n` clones its children with level `n + 1`. */
type LevelCloner = (value: object, plan: ClonePlan) => unknown;

/**
 * A value prepared for cheap repeated deep copies: {@link PreparedClone.clone}
 * returns a new copy each time. The preparation copies the value once, so that
 * its plain objects are in V8's fast mode and share hidden classes with their
 * clones (an object that user code built key by key is usually not, which
 * makes every copy of it several times slower).
 * @internal
 */
export class PreparedClone<T> {
  /** The prepared copy (equal to the original; do not mutate). */
  readonly value: T;
  readonly #plan: ClonePlan | undefined;

  /**
   * Prepares `value`, which must be plain data as `copyPlainData` accepts it
   * (this is not checked), by copying it; with `adopt`, `value` is freshly
   * made (by `JSON.parse`, say), referenced by nobody else and in fast mode
   * already, and is kept as is.
   */
  constructor(value: T, adopt = false) {
    if (typeof value !== 'object' || value === null || !prototypeIsClean()) {
      this.value = typeof value === 'object' && value !== null && !adopt ? (cloneDeep(value) as T) : value;
      this.#plan = undefined;
      return;
    }
    this.value = adopt ? value : (prepareCopy(value) as T);
    this.#plan = planOf(this.value as object);
  }

  /** A new deep copy of the value. */
  clone(): T {
    const value = this.value;
    if (typeof value !== 'object' || value === null) return value;
    const plan = this.#plan;
    // Without a plan (a polluted Object.prototype when prepared), or after pollution since: the generic cloner.
    if (plan === undefined || !prototypeIsClean()) return cloneDeep(value) as T;
    return cloneLevel0(value, plan) as T;
  }
}

/** Whether a for-in over a plain object sees its own keys only (always, unless `Object.prototype` is polluted). */
function prototypeIsClean(): boolean {
  return Object.keys(Object.prototype).length === 0;
}

function isPlainRecord(value: object): value is Record<string, unknown> {
  return Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The copy made by the preparation: like {@link cloneDeep}, but plain objects
 * are spread, which turns dictionary-mode objects into fast-mode ones.
 */
function prepareCopy(value: object): unknown {
  if (!isPlainRecord(value)) {
    return Array.isArray(value) ? value.map((child: unknown) => (typeof child === 'object' && child !== null ? prepareCopy(child) : child)) : cloneDeep(value);
  }
  const out: Record<string, unknown> = { ...value };
  for (const key in out) {
    const child = out[key];
    if (typeof child === 'object' && child !== null) out[key] = prepareCopy(child);
  }
  return out;
}

/** The clone plan of a prepared value (its objects are plain data). */
function planOf(value: object): ClonePlan {
  const array = Array.isArray(value);
  if (!array && !isPlainRecord(value)) return OTHER;
  const children: (ClonePlan | undefined)[] = [];
  let flat = true;
  let uniform = true;
  const add = (child: unknown): void => {
    const plan = typeof child === 'object' && child !== null ? planOf(child) : undefined;
    if (plan !== undefined) flat = false;
    if (plan !== FLAT) uniform = false;
    children.push(plan);
  };
  if (array) for (const child of value as unknown[]) add(child);
  else for (const key in value) add((value)[key]);
  if (flat) return FLAT;
  return { array, uniform: uniform ? FLAT : undefined, children };
}

/*
 * The level cloners. Each is the same code with its own call sites; level n
 * clones children with level n + 1. Arrays and other objects go through
 * `cloneNonRecord`, which calls back the next level for their children.
 */

function cloneLevel0(value: object, plan: ClonePlan): unknown {
  if (plan === FLAT && !Array.isArray(value)) return { ...value };
  if (typeof plan !== 'object' || plan.array) return cloneNonRecord(value, plan, cloneLevel1);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (plan.uniform === FLAT) {
    for (const key in out) out[key] = cloneLevel1(out[key] as object, FLAT);
    return out;
  }
  const children = plan.children;
  let i = 0;
  for (const key in out) {
    const child = children[i];
    i += 1;
    if (child !== undefined) out[key] = cloneLevel1(out[key] as object, child);
  }
  return out;
}

function cloneLevel1(value: object, plan: ClonePlan): unknown {
  if (plan === FLAT && !Array.isArray(value)) return { ...value };
  if (typeof plan !== 'object' || plan.array) return cloneNonRecord(value, plan, cloneLevel2);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (plan.uniform === FLAT) {
    for (const key in out) out[key] = cloneLevel2(out[key] as object, FLAT);
    return out;
  }
  const children = plan.children;
  let i = 0;
  for (const key in out) {
    const child = children[i];
    i += 1;
    if (child !== undefined) out[key] = cloneLevel2(out[key] as object, child);
  }
  return out;
}

function cloneLevel2(value: object, plan: ClonePlan): unknown {
  if (plan === FLAT && !Array.isArray(value)) return { ...value };
  if (typeof plan !== 'object' || plan.array) return cloneNonRecord(value, plan, cloneLevel3);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (plan.uniform === FLAT) {
    for (const key in out) out[key] = cloneLevel3(out[key] as object, FLAT);
    return out;
  }
  const children = plan.children;
  let i = 0;
  for (const key in out) {
    const child = children[i];
    i += 1;
    if (child !== undefined) out[key] = cloneLevel3(out[key] as object, child);
  }
  return out;
}

function cloneLevel3(value: object, plan: ClonePlan): unknown {
  if (plan === FLAT && !Array.isArray(value)) return { ...value };
  if (typeof plan !== 'object' || plan.array) return cloneNonRecord(value, plan, cloneDeeper);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const children = plan.children;
  let i = 0;
  for (const key in out) {
    const child = children[i];
    i += 1;
    if (child !== undefined) out[key] = cloneDeep(out[key] as object);
  }
  return out;
}

/** Level four and below: the generic cloner (the plan is not needed there). */
const cloneDeeper: LevelCloner = (value) => cloneDeep(value);

/** Clones an array (with its children's plans) or an object of another kind. */
function cloneNonRecord(value: object, plan: ClonePlan, next: LevelCloner): unknown {
  if (!Array.isArray(value)) return cloneDeep(value);
  const out: unknown[] = value.slice();
  if (typeof plan !== 'object') return out;
  const children = plan.children;
  for (let i = 0; i < out.length; i += 1) {
    const child = children[i];
    if (child !== undefined) out[i] = next(out[i] as object, child);
  }
  return out;
}

/** Clones any plain data with shared call sites (Object.keys rather than for-in, in case the prototype is polluted). */
function cloneDeep(value: object): unknown {
  if (Array.isArray(value)) return value.map(cloneAny);
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [key, item] of value) out.set(cloneAny(key), cloneAny(item));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    for (const item of value) out.add(cloneAny(item));
    return out;
  }
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  if (value instanceof Error) {
    const copy = 'cause' in value ? new Error(value.message, { cause: cloneAny(value.cause) }) : new Error(value.message);
    copy.name = value.name;
    copy.stack = value.stack;
    return copy;
  }
  const out: Record<string, unknown> = isPlainRecord(value) ? {} : (Object.create(null) as Record<string, unknown>);
  for (const key of Object.keys(value)) out[key] = cloneAny((value as Record<string, unknown>)[key]);
  return out;
}

function cloneAny(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? cloneDeep(value) : value;
}
