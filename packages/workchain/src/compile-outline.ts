import { ExitCode } from '@plumpy-ts/process';
import { OutlineError } from './errors.js';
import { IfInstruction } from './if.js';
import { entryName, type ConditionEntry, type StepEntry } from './instruction.js';
import { checkArity, type OutlineEntry } from './outline-entry.js';
import {
  NodeKind,
  type BlockNode,
  type BranchNode,
  type CompiledFunction,
  type CompiledOutline,
  type IfNode,
  type OutlineNode,
  type WhileNode,
} from './outline-node.js';
import { ReturnInstruction, return_ } from './return.js';
import { WhileInstruction } from './while.js';

/** What an outline is compiled against: the work chain class. */
export interface OutlineOwner {
  /** The class's name, for error messages. */
  readonly name: string;
  /** The class's prototype, where method names are looked up. */
  readonly prototype: object;
  /** The base work chain prototype: its methods (hooks, API) cannot be steps, `run` excepted. */
  readonly reserved: object;
  /** The exit codes declared in the spec, for `return_('NAME')` and `return_(status)`. */
  readonly exitCodes: Readonly<Record<string, ExitCode>>;
}

/**
 * Compiles an outline for a class: method names are resolved on its prototype
 * and checked, `return_` exit codes are resolved against the spec.
 *
 * @throws OutlineError naming the bad entry
 */
export function compileOutline(entries: readonly OutlineEntry[], owner: OutlineOwner): CompiledOutline {
  const root = compileBlock(entries, 'the outline', owner);
  return { root, single: entries.length === 1, maxDepth: depthOf(root) };
}

/** How many position entries the node and its descendants can need. */
function depthOf(node: OutlineNode): number {
  switch (node.kind) {
    case NodeKind.BLOCK:
      return 1 + Math.max(0, ...node.items.map(depthOf));
    case NodeKind.IF:
      return 1 + Math.max(...node.branches.map((branch) => depthOf(branch.body)));
    case NodeKind.WHILE:
      return 1 + depthOf(node.body);
    default:
      return 0;
  }
}

function compileBlock(entries: readonly OutlineEntry[], where: string, owner: OutlineOwner): BlockNode {
  const items: OutlineNode[] = [];
  const block: BlockNode = { kind: NodeKind.BLOCK, items, parent: undefined, index: 0 };
  entries.forEach((entry, index) => {
    const node = compileEntry(entry, where, owner);
    node.parent = block;
    node.index = index;
    items.push(node);
  });
  return block;
}

function compileEntry(entry: OutlineEntry, where: string, owner: OutlineOwner): OutlineNode {
  if (entry === return_) return compileReturn(return_.instruction, owner);
  if (entry instanceof ReturnInstruction) return compileReturn(entry, owner);
  if (entry instanceof WhileInstruction) {
    const label = `while_(${entryName(entry.condition)})`;
    const node: WhileNode = {
      kind: NodeKind.WHILE,
      condition: resolveFunction(entry.condition, 'condition', label, owner),
      conditionName: entryName(entry.condition),
      body: compileBlock(entry.body, label, owner),
      parent: undefined,
      index: 0,
    };
    node.body.parent = node;
    return node;
  }
  if (entry instanceof IfInstruction) {
    const branches = entry.branches.map((branch): BranchNode => {
      const label = branch.condition === undefined ? branch.label : `${branch.label}(${entryName(branch.condition)})`;
      return {
        label: branch.label,
        condition: branch.condition === undefined ? undefined : resolveFunction(branch.condition, 'condition', label, owner),
        conditionName: branch.condition === undefined ? '' : entryName(branch.condition),
        body: compileBlock(branch.body, label, owner),
      };
    });
    const node: IfNode = { kind: NodeKind.IF, branches, parent: undefined, index: 0 };
    for (const branch of branches) branch.body.parent = node;
    return node;
  }
  if (typeof entry === 'string' || typeof entry === 'function') {
    const step = entry as StepEntry;
    return {
      kind: NodeKind.CALL,
      fn: resolveFunction(step, 'step', where, owner),
      name: entryName(step),
      parent: undefined,
      index: 0,
    };
  }
  throw new OutlineError(`${owner.name}: unknown outline instruction in ${where}`);
}

function compileReturn(instruction: ReturnInstruction, owner: OutlineOwner): OutlineNode {
  const code = instruction.exitCode;
  let exitCode: ExitCode | undefined;
  if (code === undefined || code instanceof ExitCode) {
    exitCode = code;
  } else if (typeof code === 'string') {
    exitCode = owner.exitCodes[code];
    if (exitCode === undefined) {
      throw new OutlineError(`${owner.name}: return_('${code}') names no exit code declared with spec.exitCode()`);
    }
  } else {
    exitCode = Object.values(owner.exitCodes).find((declared) => declared.status === code) ?? new ExitCode(code);
  }
  return { kind: NodeKind.RETURN, exitCode, label: instruction.label(), parent: undefined, index: 0 };
}

function resolveFunction(
  entry: ConditionEntry | (() => unknown),
  what: 'step' | 'condition',
  where: string,
  owner: OutlineOwner,
): CompiledFunction {
  if (typeof entry === 'function') return entry;
  const method = findMethod(owner.prototype, entry);
  if (method === undefined) {
    throw new OutlineError(`${owner.name}: the ${what} '${entry}' in ${where} is not a method of ${owner.name}`);
  }
  if (entry !== 'run' && findMethod(owner.reserved, entry) !== undefined) {
    throw new OutlineError(
      `${owner.name}: the ${what} '${entry}' in ${where} names a method of the WorkChain base class ` +
        '(a hook or an API method); give the step another name',
    );
  }
  checkArity(method, what, where);
  return method;
}

/** The method `name` on `proto` or its ancestors (getters are not invoked). */
function findMethod(proto: object | null, name: string): (() => unknown) | undefined {
  for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor !== undefined) {
      return typeof descriptor.value === 'function' ? (descriptor.value as () => unknown) : undefined;
    }
  }
  return undefined;
}
