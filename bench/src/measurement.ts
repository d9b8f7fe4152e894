/** One JSON line of benchmark output, comparable line by line with plumpy's figures. */
export interface Measurement {
  impl: 'plumpy-ts';
  workload: string;
  n: number;
  total_s: number;
  per_item_us: number;
  node: string;
  [extra: string]: unknown;
}

/** Builds a {@link Measurement} from a timed section of `n` items lasting `totalNs` nanoseconds. */
export function measurement(workload: string, n: number, totalNs: bigint, extra: Record<string, unknown> = {}): Measurement {
  const total_s = Number(totalNs) / 1e9;
  return {
    impl: 'plumpy-ts',
    workload,
    n,
    total_s: round(total_s, 6),
    per_item_us: round((total_s / n) * 1e6, 3),
    node: process.version,
    ...extra,
  };
}

/** The number of untimed warm-up items before a run of `n`: `min(100, n / 10)`. */
export const warmupCount = (n: number): number => Math.min(100, Math.floor(n / 10));

/**
 * Runs `item` for `warmupCount(n)` untimed items, then `n` timed items one after
 * another, and returns the measurement.
 */
export async function timeSequential(
  workload: string,
  n: number,
  item: (i: number) => unknown,
  extra: Record<string, unknown> = {},
): Promise<Measurement> {
  for (let i = 0; i < warmupCount(n); i += 1) await item(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await item(i);
  return measurement(workload, n, process.hrtime.bigint() - start, extra);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
