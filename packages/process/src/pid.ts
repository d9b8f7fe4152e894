import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// UUID v7 generation without a call into the system RNG per id: random bytes come
// from a pool refilled 4 kB at a time, and the (ms, sequence) pair is taken at
// creation (so ids sort by creation), while the string is built only when read.
const pool = new Uint8Array(4096);
let offset = pool.length;
const random = new Uint8Array(16);
let lastMs = -Infinity;
let sequence = 0;

function take(count: number): number {
  if (offset + count > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += count;
  return start;
}

/**
 * A creation stamp: the per-millisecond sequence number (a small integer) when
 * its millisecond is the creation time — the usual case, which allocates
 * nothing — else the millisecond and the sequence.
 */
export type PidStamp = number | { readonly msecs: number; readonly seq: number };

/** The largest sequence number; sequences stay small integers (V8 smis). */
const MAX_SEQUENCE = 0x3fffffff;

/** Takes a monotonic stamp for `now` (ms since the epoch, the creation time). */
export function pidStamp(now: number): PidStamp {
  if (now > lastMs) {
    const at = take(4);
    sequence = ((pool[at]! & 0x3f) << 24) | (pool[at + 1]! << 16) | (pool[at + 2]! << 8) | pool[at + 3]!;
    lastMs = now;
  } else {
    sequence = (sequence + 1) & MAX_SEQUENCE;
    if (sequence === 0) lastMs += 1;
  }
  return lastMs === now ? sequence : { msecs: lastMs, seq: sequence };
}

/** The UUID v7 string of a stamp taken at `now` (from the `uuid` package, with pooled random bytes). */
export function uuidFromStamp(now: number, stamp: PidStamp): string {
  const at = take(6);
  for (let i = 0; i < 6; i += 1) random[10 + i] = pool[at + i]!;
  if (typeof stamp === 'number') return v7({ random, msecs: now, seq: stamp });
  return v7({ random, msecs: stamp.msecs, seq: stamp.seq });
}
