import type { ExitCode } from '@plumpy-ts/process';

/** A step or condition as compiled: a function called with the work chain as `this`. */
export type CompiledFunction = (this: object) => unknown;

/** The kinds of compiled outline nodes. */
export const NodeKind = {
  CALL: 0,
  RETURN: 1,
  BLOCK: 2,
  IF: 3,
  WHILE: 4,
} as const;

/**
 * Where a node sits: its enclosing container (`undefined` for the root block)
 * and its index there (for a node in a block). Set once, by the compiler; it
 * lets the stepper move on from a finished node without walking down from the
 * root again.
 */
export interface NodePlace {
  /** The enclosing block, `if_` or `while_`. */
  parent: BlockNode | IfNode | WhileNode | undefined;
  /** The index in the enclosing block (0 for a body). */
  index: number;
}

/** Run a step. */
export interface CallNode extends NodePlace {
  readonly kind: typeof NodeKind.CALL;
  /** The step. */
  readonly fn: CompiledFunction;
  /** Its name, as shown in the stepper position. */
  readonly name: string;
}

/** End the work chain (with an exit code, if one is given). */
export interface ReturnNode extends NodePlace {
  readonly kind: typeof NodeKind.RETURN;
  /** The exit code, resolved against the spec. */
  readonly exitCode: ExitCode | undefined;
  /** `'return_'` or `'return_(NAME)'`. */
  readonly label: string;
}

/** A sequence of nodes. */
export interface BlockNode extends NodePlace {
  readonly kind: typeof NodeKind.BLOCK;
  /** The nodes, in order (at least one). */
  readonly items: readonly OutlineNode[];
}

/** One branch of an {@link IfNode}. */
export interface BranchNode {
  /** `'if_'`, `'elif_'` or `'else_'`. */
  readonly label: string;
  /** The condition; `undefined` for `else_`. */
  readonly condition: CompiledFunction | undefined;
  /** The condition's name. */
  readonly conditionName: string;
  /** The body. */
  readonly body: BlockNode;
}

/** A conditional. */
export interface IfNode extends NodePlace {
  readonly kind: typeof NodeKind.IF;
  /** The branches, in order. */
  readonly branches: readonly BranchNode[];
}

/** A loop. */
export interface WhileNode extends NodePlace {
  readonly kind: typeof NodeKind.WHILE;
  /** The condition. */
  readonly condition: CompiledFunction;
  /** The condition's name. */
  readonly conditionName: string;
  /** The body. */
  readonly body: BlockNode;
}

/** A compiled outline node. */
export type OutlineNode = CallNode | ReturnNode | BlockNode | IfNode | WhileNode;

/** A node that does something when reached (a step or a return). */
export type LeafNode = CallNode | ReturnNode;

/**
 * An outline compiled for one work chain class: its steps and conditions
 * resolved to functions. The root is always a block; `single` says the outline
 * was one entry (its position is then shown without the block's index).
 */
export interface CompiledOutline {
  /** The root block. */
  readonly root: BlockNode;
  /** Whether the outline was given as a single entry. */
  readonly single: boolean;
  /** The most entries a position in it can have (its nesting depth). */
  readonly maxDepth: number;
}
