import { PersistenceError } from './errors.js';

/** Characters kept as they are by {@link encodePathSegment}. */
const safe = /^[A-Za-z0-9_-]$/;
const allSafe = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextEncoder();

/**
 * Encodes a pid or tag as one file-name or object-key segment: letters, digits,
 * `_` and `-` are kept; every other character becomes `%XX` (its UTF-8 bytes,
 * upper-case hex), and the empty string becomes `%`. The result contains no
 * `/`, `.` or `\`, so it can never be `.`/`..` or escape a directory, and
 * distinct inputs give distinct segments. Case-insensitive file systems may
 * still confuse `A` and `a`.
 */
export function encodePathSegment(value: string): string {
  if (value === '') return '%';
  if (allSafe.test(value)) return value;
  let out = '';
  for (const char of value) {
    if (safe.test(char)) out += char;
    else for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Reverses {@link encodePathSegment}.
 * @throws PersistenceError for a segment that encodePathSegment cannot have produced.
 */
export function decodePathSegment(segment: string): string {
  if (segment === '%') return '';
  if (!segment.includes('%')) {
    if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new PersistenceError(`'${segment}' is not an encoded path segment`);
    return segment;
  }
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(segment)) {
    throw new PersistenceError(`'${segment}' is not an encoded path segment`);
  }
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new PersistenceError(`'${segment}' is not an encoded path segment`, { cause: error });
  }
}
