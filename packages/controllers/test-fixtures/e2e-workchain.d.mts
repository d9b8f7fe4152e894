import type { WorkChain } from '@plumpy-ts/workchain';

/** Adds 1..n, one async step of `delayMs` per term; outputs `{ total, n }`. */
export declare class SummingWorkChain extends WorkChain<{ n: number; delayMs?: number }, { total: number; n: number }> {
  static processId: string;
}
