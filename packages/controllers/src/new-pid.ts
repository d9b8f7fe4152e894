import { randomBytes } from 'node:crypto';

/**
 * A fresh pid chosen by a controller: a UUID version 7 string (48-bit
 * millisecond timestamp, then random bits), time-ordered like the pids
 * processes choose for themselves.
 */
export function newPid(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  let time = now;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
