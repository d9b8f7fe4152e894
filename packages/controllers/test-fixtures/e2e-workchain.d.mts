import type { WorkChain } from '@plumpy-ts/workchain';

/** Adds 1..n, one async step of `delayMs` per term; outputs `{ total, n }`. */
export declare class SummingWorkChain extends WorkChain<{ n: number; delayMs?: number }, { total: number; n: number }> {
  static processId: string;
}

/** Launches a SummingWorkChain (pid `<own pid>-child`) with its inputs and waits for it; outputs `{ child }`. */
export declare class ParentOfSumming extends WorkChain<
  { n: number; delayMs?: number },
  { child: { total: number; n: number } }
> {
  static processId: string;
}
