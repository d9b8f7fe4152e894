import { describe, expect, it } from 'vitest';
import { PersistenceError } from './errors.js';
import { decodePathSegment, encodePathSegment } from './path-segment.js';

const samples = ['', 'plain-UUID_123', 'a/b', '..', '.', 'a.b', 'back\\slash', '%', '%41', 'ünï ✓ 𝄞', 'CON', ' '];

describe('encodePathSegment', () => {
  it('keeps letters, digits, - and _', () => {
    expect(encodePathSegment('0190a1b2-c3d4-7e5f-8a9b-abcdefABCDEF_x')).toBe('0190a1b2-c3d4-7e5f-8a9b-abcdefABCDEF_x');
  });

  it('escapes everything else so the segment is safe in a path', () => {
    for (const sample of samples) {
      const encoded = encodePathSegment(sample);
      expect(encoded).toMatch(/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$|^%$/);
      expect(encoded).not.toMatch(/[/.\\]/);
    }
    expect(encodePathSegment('a/b')).toBe('a%2Fb');
    expect(encodePathSegment('..')).toBe('%2E%2E');
  });

  it('round-trips and keeps distinct values distinct', () => {
    const encoded = samples.map(encodePathSegment);
    expect(new Set(encoded).size).toBe(samples.length);
    expect(encoded.map(decodePathSegment)).toEqual(samples);
  });

  it('refuses to decode what it cannot have produced', () => {
    for (const bad of ['a.b', 'a/b', '%zz', '%E2%82', '%2f']) expect(() => decodePathSegment(bad)).toThrow(PersistenceError);
  });
});
