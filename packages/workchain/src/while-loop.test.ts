// A while_ loop of 1,000,000 passes runs without growing the stack or the heap:
// no recursion and no allocation that outlives a step.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WorkChain, while_, type WorkChainSpec } from './index.js';

const PASSES = 1_000_000;

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function stackDepth(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const depth = (new Error().stack ?? '').split('\n').length;
  Error.stackTraceLimit = limit;
  return depth;
}

class MillionLoop extends WorkChain<{ n: number }> {
  depths: number[] = [];
  heap: number[] = [];

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('n', { validType: Number });
    spec.outline('setup', while_('more')('increment'), 'finish');
  }

  setup(): void {
    this.ctx.i = 0;
  }

  more(): boolean {
    return (this.ctx.i as number) < this.inputs.n;
  }

  increment(): void {
    const i = (this.ctx.i as number) + 1;
    this.ctx.i = i;
    if (i === 200_000 || i === this.inputs.n - 1_000) {
      this.depths.push(stackDepth());
      collectGarbage();
      this.heap.push(process.memoryUsage().heapUsed);
    }
  }

  finish(): void {
    this.out('i', this.ctx.i);
  }

  static override createSpec(): WorkChainSpec {
    const spec = super.createSpec();
    spec.outputs.dynamic = true;
    return spec;
  }
}

describe('a long while_ loop', () => {
  it('runs 1,000,000 passes in constant stack and heap', async () => {
    const chain = new MillionLoop({ inputs: { n: PASSES } });
    expect(await chain.execute()).toEqual({ i: PASSES });
    const [early, late] = chain.depths;
    expect(late).toBe(early);
    const [before, after] = chain.heap as [number, number];
    // Constant heap: the last 800,000 passes leave less than a megabyte behind
    // (one small object kept per pass would be over 12 MB).
    expect(after - before).toBeLessThan(1_000_000);
  });
});
