import type { ProcessSpec } from '@plumpy-ts/ports';
import { SuperNotCalledError } from '@plumpy-ts/state-machine';

/** The static side of a process class, as far as building its spec goes. */
export interface SpecDefiningClass {
  readonly name: string;
  createSpec(): ProcessSpec;
  define(spec: ProcessSpec): void;
}

const specs = new WeakMap<object, ProcessSpec>();
let defineReached = false;

/**
 * The spec of `cls`: made by its `createSpec()` and filled by its `define(spec)`
 * on first use, then kept. Throws {@link SuperNotCalledError} if an override of
 * `define` did not call `super.define(spec)` (which calls {@link markDefineReached}).
 */
export function classSpec(cls: SpecDefiningClass): ProcessSpec {
  let spec = specs.get(cls);
  if (spec === undefined) {
    const created = cls.createSpec();
    const enclosing = defineReached;
    defineReached = false;
    let reached: boolean;
    try {
      cls.define(created);
    } finally {
      reached = defineReached;
      defineReached = enclosing;
    }
    if (!reached) throw new SuperNotCalledError('define', cls.name);
    specs.set(cls, created);
    spec = created;
  }
  return spec;
}

/** Called by the base `Process.define`: the override chain reached it. */
export function markDefineReached(): void {
  defineReached = true;
}
