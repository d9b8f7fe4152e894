import { describe, expect, it } from 'vitest';
import { compileMatchPattern, wildcardToRegExp } from './match-pattern.js';

function matches(pattern: string | RegExp, value: string): boolean {
  return compileMatchPattern(pattern)(value);
}

describe('compileMatchPattern', () => {
  it('matches a plain string only exactly', () => {
    expect(matches('42', '42')).toBe(true);
    expect(matches('42', '420')).toBe(false);
    expect(matches('42', '142')).toBe(false);
  });

  it('lets * match any run of characters, dots and nothing included', () => {
    expect(matches('purchase.*', 'purchase.car')).toBe(true);
    expect(matches('purchase.*', 'purchase.car.red')).toBe(true);
    expect(matches('purchase.*', 'purchase.')).toBe(true);
    expect(matches('purchase.*', 'purchase')).toBe(false);
    expect(matches('purchase.*', 'sell.car')).toBe(false);
    expect(matches('*.jones', 'bob.jones')).toBe(true);
    expect(matches('*.jones', 'bob.jonesy')).toBe(false);
    expect(matches('state_changed.*.finished', 'state_changed.running.finished')).toBe(true);
    expect(matches('*', '')).toBe(true);
  });

  it('lets ? match exactly one character', () => {
    expect(matches('a?c', 'abc')).toBe(true);
    expect(matches('a?c', 'ac')).toBe(false);
    expect(matches('a?c', 'abbc')).toBe(false);
  });

  it('supports character sets, ranges and negated sets', () => {
    expect(matches('v[12]', 'v1')).toBe(true);
    expect(matches('v[12]', 'v3')).toBe(false);
    expect(matches('v[0-9]', 'v7')).toBe(true);
    expect(matches('v[!0-9]', 'v7')).toBe(false);
    expect(matches('v[!0-9]', 'vx')).toBe(true);
    expect(matches('[]]', ']')).toBe(true);
    expect(matches('[a-]', '-')).toBe(true);
  });

  it('treats an unclosed [ literally', () => {
    expect(matches('a[b', 'a[b')).toBe(true);
    expect(matches('a[b', 'ab')).toBe(false);
  });

  it('treats regular-expression characters in a wildcard pattern literally', () => {
    expect(matches('a.b', 'aXb')).toBe(false);
    expect(matches('a.b*', 'a.bc')).toBe(true);
    expect(matches('(x)+|y$', '(x)+|y$')).toBe(true);
    expect(matches('(x)+|y$*', '(x)+|y$z')).toBe(true);
    expect(matches('^a{2}\\', '^a{2}\\')).toBe(true);
    expect(matches('^a{2}\\*', 'aa')).toBe(false);
  });

  it('tests a regular expression, which may match part of the value', () => {
    expect(matches(/jones/, 'bob.jones.senior')).toBe(true);
    expect(matches(/^jones$/, 'bob.jones')).toBe(false);
  });

  it('gives the same answer every time for a global regular expression', () => {
    const matcher = compileMatchPattern(/a/g);
    expect([matcher('a'), matcher('a'), matcher('a')]).toEqual([true, true, true]);
  });

  it('anchors translated wildcard patterns', () => {
    expect(wildcardToRegExp('a*').test('ba')).toBe(false);
  });
});
