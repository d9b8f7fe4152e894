// The outline stepper on its own: which steps run in which order, the position
// strings (plumpy's Stepper.__str__), and positions as plain data.
import { describe, expect, it } from 'vitest';
import { compileOutline } from './compile-outline.js';
import { if_ } from './if.js';
import type { OutlineEntry } from './outline-entry.js';
import { NodeKind, type CompiledOutline } from './outline-node.js';
import { return_ } from './return.js';
import { createPosition, formatPosition, isValidPath, leafDone, nextLeaf, outlineDone, positionPath } from './stepper.js';
import { while_ } from './while.js';

/** A target whose steps log their names and whose conditions read flags. */
class Target {
  log: string[] = [];
  flags: Record<string, boolean[]> = {};
  a(): void {
    this.log.push('a');
  }
  b(): void {
    this.log.push('b');
  }
  c(): void {
    this.log.push('c');
  }
  d(): void {
    this.log.push('d');
  }
  p(): boolean {
    return this.next('p');
  }
  q(): boolean {
    return this.next('q');
  }
  private next(name: string): boolean {
    const value = this.flags[name]?.shift() ?? false;
    this.log.push(`${name}?${value}`);
    return value;
  }
}

function compile(...entries: OutlineEntry[]): CompiledOutline {
  return compileOutline(entries, { name: 'Target', prototype: Target.prototype, reserved: {}, exitCodes: {} });
}

/** Runs the outline to its end, one stepper step at a time, recording the position before each. */
function run(outline: CompiledOutline, flags: Record<string, boolean[]> = {}): { log: string[]; positions: string[] } {
  const target = new Target();
  target.flags = flags;
  const position = createPosition(outline.maxDepth);
  const positions: string[] = [];
  while (!outlineDone(outline.root, position)) {
    positions.push(formatPosition(outline, position));
    const leaf = nextLeaf(target, outline.root, position);
    if (leaf === undefined) continue;
    if (leaf.kind === NodeKind.RETURN) {
      target.log.push(leaf.label);
      break;
    }
    leaf.fn.call(target);
    leafDone(leaf, position);
  }
  return { log: target.log, positions };
}

describe('stepping', () => {
  it('runs a sequence', () => {
    expect(run(compile('a', 'b', 'c'))).toEqual({ log: ['a', 'b', 'c'], positions: ['0:a', '1:b', '2:c'] });
  });

  it('runs a single step, shown without an index', () => {
    expect(run(compile('a'))).toEqual({ log: ['a'], positions: ['a'] });
  });

  it('takes the first true branch of an if_', () => {
    const outline = compile(if_('p')('a').elif_('q')('b', 'c').else_('d'));
    expect(run(outline, { p: [true] }).log).toEqual(['p?true', 'a']);
    expect(run(outline, { q: [true] })).toEqual({
      log: ['p?false', 'q?true', 'b', 'c'],
      positions: ['if_(p)', 'elif_(q)(1:c)'],
    });
    expect(run(outline)).toEqual({ log: ['p?false', 'q?false', 'd'], positions: ['if_(p)'] });
  });

  it('moves past an if_ with no true branch in a step of its own', () => {
    expect(run(compile(if_('p')('a'), 'b'))).toEqual({ log: ['p?false', 'b'], positions: ['0:if_(p)', '1:b'] });
  });

  it('shows the else_ branch without a condition', () => {
    expect(run(compile(if_('p')('a').else_('b', 'c'), 'd')).positions).toEqual(['0:if_(p)', '0:else_(1:c)', '1:d']);
  });

  it('loops while the condition holds', () => {
    expect(run(compile('a', while_('p')('b', 'c'), 'd'), { p: [true, true] })).toEqual({
      log: ['a', 'p?true', 'b', 'c', 'p?true', 'b', 'c', 'p?false', 'd'],
      positions: [
        '0:a',
        '1:while_(p)',
        '1:while_(p)(1:c)',
        '1:while_(p)',
        '1:while_(p)(1:c)',
        '1:while_(p)',
        '2:d',
      ],
    });
  });

  it('nests to any depth', () => {
    const outline = compile('a', while_('p')(if_('q')('b', 'c').else_(while_('p')('d'))));
    const { log, positions } = run(outline, { p: [true, true, true, false, false], q: [true, false] });
    expect(log).toEqual(['a', 'p?true', 'q?true', 'b', 'c', 'p?true', 'q?false', 'p?true', 'd', 'p?false', 'p?false']);
    expect(positions).toEqual([
      '0:a',
      '1:while_(p)',
      '1:while_(p)(0:if_(q)(1:c))',
      '1:while_(p)',
      '1:while_(p)(0:else_(0:while_(p)))',
      '1:while_(p)',
    ]);
  });

  it("shows plumpy's example position", () => {
    const outline = compile('a', while_('p')(if_('q')('b', 'c')));
    const target = new Target();
    target.flags = { p: [true], q: [true] };
    const position = createPosition(outline.maxDepth);
    for (let i = 0; i < 2; i += 1) {
      const leaf = nextLeaf(target, outline.root, position)!;
      if (leaf.kind === NodeKind.CALL) leaf.fn.call(target);
      leafDone(leaf, position);
    }
    expect(formatPosition(outline, position)).toBe('1:while_(p)(0:if_(q)(1:c))');
    expect(positionPath(position)).toEqual([1, 1, 0, 0, 1]);
  });

  it('stops at a return_', () => {
    expect(run(compile('a', if_('p')(return_(2)), 'b'), { p: [true] }).log).toEqual(['a', 'p?true', 'return_(2)']);
    expect(run(compile('a', return_, 'b')).positions).toEqual(['0:a', '1:return_']);
  });

  it('rejects a condition that does not return a boolean', () => {
    class Loose extends Target {
      maybe(): unknown {
        return 1;
      }
      later(): unknown {
        return Promise.resolve(true);
      }
    }
    const compileLoose = (...entries: OutlineEntry[]) =>
      compileOutline(entries, { name: 'Loose', prototype: Loose.prototype, reserved: {}, exitCodes: {} });
    const loose = compileLoose(while_('maybe')('a'));
    expect(() => nextLeaf(new Loose(), loose.root, createPosition(loose.maxDepth))).toThrow(
      "The condition 'maybe' of while_ returned number, not a boolean",
    );
    const async = compileLoose(if_('later')('a'));
    expect(() => nextLeaf(new Loose(), async.root, createPosition(async.maxDepth))).toThrow(
      "The condition 'later' of if_ returned a promise (conditions cannot be async), not a boolean",
    );
  });

  it('runs a million passes of a while_ in constant stack and position size', () => {
    const target = {
      i: 0,
      depths: [] as number[],
      more(): boolean {
        return this.i < 1_000_000;
      },
      count(): void {
        this.i += 1;
        if (this.i === 10 || this.i === 999_990) this.depths.push(stackDepth());
      },
    };
    const compiled = compileOutline([while_('more')('count')], {
      name: 'Loop',
      prototype: target,
      reserved: {},
      exitCodes: {},
    });
    const position = createPosition(compiled.maxDepth);
    const size = position.length;
    while (!outlineDone(compiled.root, position)) {
      const leaf = nextLeaf(target, compiled.root, position);
      if (leaf?.kind === NodeKind.CALL) {
        leaf.fn.call(target);
        leafDone(leaf, position);
      }
    }
    expect(target.i).toBe(1_000_000);
    expect(target.depths[0]).toBe(target.depths[1]);
    // One number for the depth, then one per level of the outline: it never grew.
    expect(position).toHaveLength(size);
    expect(size).toBe(compiled.maxDepth + 1);
  });
});

describe('positions as plain data', () => {
  const outline = compile('a', while_('p')(if_('q')('b', 'c').else_('d')));

  it('round-trip through an array', () => {
    const position = createPosition(outline.maxDepth, [1, 1, 0, 1, 0]);
    expect(formatPosition(outline, position)).toBe('1:while_(p)(0:else_(0:d))');
    expect(positionPath(position)).toEqual([1, 1, 0, 1, 0]);
  });

  it('are checked against the outline', () => {
    expect(isValidPath(outline.root, [])).toBe(true);
    expect(isValidPath(outline.root, [1, 1, 0, 1, 0])).toBe(true);
    expect(isValidPath(outline.root, [2])).toBe(true);
    expect(isValidPath(outline.root, [2, 0])).toBe(false);
    expect(isValidPath(outline.root, [3])).toBe(false);
    expect(isValidPath(outline.root, [1, 0])).toBe(false);
    expect(isValidPath(outline.root, [1, 1, 0, 2])).toBe(false);
    expect(isValidPath(outline.root, [0, 0])).toBe(false);
    expect(isValidPath(outline.root, [1.5])).toBe(false);
    expect(isValidPath(outline.root, ['1'])).toBe(false);
  });

  it('show nothing once the outline is done', () => {
    expect(formatPosition(outline, createPosition(outline.maxDepth, [2]))).toBe('');
  });
});

function stackDepth(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const depth = (new Error().stack ?? '').split('\n').length;
  Error.stackTraceLimit = limit;
  return depth;
}
