/**
 * Walks a compiled outline. The position in the outline is plain data: a list
 * with one number per active container, from the root down — a block's index
 * of its current entry, an `if_`'s chosen branch, a `while_`'s `1` while a
 * pass of its body runs. A container without an entry has not been entered
 * yet (for a `while_`: its condition is checked next). The root block's index
 * equals its length once the outline has run to its end.
 *
 * Stepping neither recurses nor allocates: the entries live in an array sized
 * for the outline's depth, so a `while_` loop of a million passes runs in
 * constant stack and heap. A work chain's live position is that one array
 * (see {@link OutlinePosition}).
 */
import {
  NodeKind,
  type BlockNode,
  type CompiledFunction,
  type CompiledOutline,
  type LeafNode,
  type OutlineNode,
} from './outline-node.js';

/** A position in an outline as plain data (see the module's description). */
export type StepperPath = number[];

/**
 * A work chain's live position, in one array (one allocation per work chain):
 * `position[0]` is the depth — how many entries are in use — and the entries
 * follow from `position[1]`; the array is sized for the outline's depth.
 */
export type OutlinePosition = number[];

/** Index of the first entry in an {@link OutlinePosition} (`position[0]` is the depth). */
const FIRST = 1;

/** A position for an outline of depth `capacity`, at `path` (default: the start). */
export function createPosition(capacity: number, path: readonly number[] = []): OutlinePosition {
  const size = Math.max(capacity, path.length, 1);
  // Sized exactly (pushing would over-allocate), every element set.
  const position: OutlinePosition = new Array<number>(FIRST + size);
  position[0] = path.length;
  for (let i = 0; i < size; i += 1) position[FIRST + i] = i < path.length ? path[i]! : 0;
  return position;
}

/** The path of a position as plain data (a copy). */
export function positionPath(position: OutlinePosition): StepperPath {
  return position.slice(FIRST, FIRST + position[0]!);
}

/** Whether the outline has run to its end. */
export function outlineDone(root: BlockNode, position: OutlinePosition): boolean {
  return position[0]! > 0 && position[FIRST]! >= root.items.length;
}

/** Moves the position to the end of the outline (a `return_` ran). */
export function moveToEnd(root: BlockNode, position: OutlinePosition): void {
  position[FIRST] = root.items.length;
  position[0] = 1;
}

/**
 * Moves to the next step (or `return_`) of the outline and returns it,
 * evaluating the conditions on the way (with `target` as `this`). Returns
 * `undefined` when a conditional ended without reaching a step (a false
 * `while_` condition, an `if_` with no true branch); the position has then
 * moved past it. The outline must not be done.
 *
 * @throws TypeError when a condition does not return a boolean (or what it throws)
 */
export function nextLeaf(target: object, root: BlockNode, position: OutlinePosition): LeafNode | undefined {
  // `depth` counts the containers entered so far; the entry of the next one is position[FIRST + depth].
  let node: OutlineNode = root;
  let depth = 0;
  for (;;) {
    switch (node.kind) {
      case NodeKind.BLOCK:
        if (depth === position[0]) {
          position[FIRST + depth] = 0;
          position[0] = depth + 1;
        }
        node = node.items[position[FIRST + depth]!]!;
        depth += 1;
        break;
      case NodeKind.IF:
        if (depth === position[0]) {
          const branches = node.branches;
          let chosen = -1;
          for (let i = 0; i < branches.length; i += 1) {
            const branch = branches[i]!;
            if (branch.condition === undefined || evaluate(target, branch.condition, branch.conditionName, branch.label)) {
              chosen = i;
              break;
            }
          }
          if (chosen < 0) {
            finishNode(node, position, depth);
            return undefined;
          }
          position[FIRST + depth] = chosen;
          position[0] = depth + 1;
        }
        node = node.branches[position[FIRST + depth]!]!.body;
        depth += 1;
        break;
      case NodeKind.WHILE:
        if (depth === position[0]) {
          if (!evaluate(target, node.condition, node.conditionName, 'while_')) {
            finishNode(node, position, depth);
            return undefined;
          }
          position[FIRST + depth] = 1;
          position[0] = depth + 1;
        }
        node = node.body;
        depth += 1;
        break;
      default:
        return node;
    }
  }
}

/** Records that the step (or `return_`) that {@link nextLeaf} returned has run: moves past it. */
export function leafDone(leaf: LeafNode, position: OutlinePosition): void {
  finishNode(leaf, position, position[0]!);
}

/**
 * `node`, at `depth` (its own entry, if it has one, is `path[depth]`), has
 * finished: advances the containers above it, following the parent links. A
 * block moves to its next entry (or finishes too), an `if_` finishes with its
 * branch, a `while_` goes back to checking its condition.
 */
function finishNode(node: OutlineNode, position: OutlinePosition, depth: number): void {
  let finished: OutlineNode = node;
  let level = depth;
  for (;;) {
    const parent = finished.parent;
    if (parent === undefined) break;
    level -= 1;
    if (parent.kind === NodeKind.BLOCK) {
      const next = finished.index + 1;
      position[FIRST + level] = next;
      if (next < parent.items.length || parent.parent === undefined) {
        level += 1;
        break;
      }
    } else if (parent.kind === NodeKind.WHILE) {
      break;
    }
    finished = parent;
  }
  position[0] = level;
}

function evaluate(target: object, condition: CompiledFunction, name: string, label: string): boolean {
  const value = condition.call(target);
  if (value === true || value === false) return value;
  const got = value === null ? 'null' : typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function' ? 'a promise (conditions cannot be async)' : typeof value;
  throw new TypeError(`The condition '${name}' of ${label} returned ${got}, not a boolean`);
}

/**
 * Plumpy's string of the position: the next step, with the path to it — e.g.
 * `'1:while_(more)(0:if_(always)(1:count))'`; a conditional whose condition is
 * checked next shows as `'2:if_(cond)'` or `'1:while_(cond)'`. Empty once the
 * outline has run to its end.
 */
export function formatPosition(outline: CompiledOutline, position: OutlinePosition): string {
  const root = outline.root;
  if (outlineDone(root, position)) return '';
  const path = positionPath(position);
  return outline.single ? render(root.items[0]!, path, 1) : render(root, path, 0);
}

function render(node: OutlineNode, path: StepperPath, depth: number): string {
  switch (node.kind) {
    case NodeKind.CALL:
      return node.name;
    case NodeKind.RETURN:
      return node.label;
    case NodeKind.BLOCK: {
      const index = path[depth] ?? 0;
      return `${index}:${render(node.items[index]!, path, depth + 1)}`;
    }
    case NodeKind.IF: {
      const entry = path[depth];
      if (entry === undefined) return `if_(${node.branches[0]!.conditionName})`;
      const branch = node.branches[entry]!;
      const body = render(branch.body, path, depth + 1);
      return branch.condition === undefined ? `else_(${body})` : `${branch.label}(${branch.conditionName})(${body})`;
    }
    case NodeKind.WHILE: {
      const head = `while_(${node.conditionName})`;
      return path[depth] === undefined ? head : `${head}(${render(node.body, path, depth + 1)})`;
    }
  }
}

/**
 * Whether `path` is a position in the outline (for positions restored from
 * saved data): every entry in range, and no entry below a step.
 */
export function isValidPath(root: BlockNode, path: readonly unknown[]): boolean {
  let node: OutlineNode = root;
  for (let d = 0; d < path.length; d += 1) {
    const entry = path[d];
    if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0) return false;
    switch (node.kind) {
      case NodeKind.BLOCK:
        if (d === 0 && entry === node.items.length) return path.length === 1;
        if (entry >= node.items.length) return false;
        node = node.items[entry]!;
        break;
      case NodeKind.IF:
        if (entry >= node.branches.length) return false;
        node = node.branches[entry]!.body;
        break;
      case NodeKind.WHILE:
        if (entry !== 1) return false;
        node = node.body;
        break;
      default:
        return false;
    }
  }
  return true;
}
