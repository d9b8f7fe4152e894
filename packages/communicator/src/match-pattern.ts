/**
 * What a {@link BroadcastFilter} matches a subject or sender against: a
 * wildcard pattern (a string) or a regular expression.
 *
 * In a wildcard pattern, as in shell (`fnmatch`) patterns, `*` matches any run of
 * characters (also none, and also dots), `?` matches exactly one character,
 * `[abc]` one of the characters listed, `[a-z]` one of a range and `[!abc]` any
 * character but those; everything else matches itself. The pattern must match
 * the whole string: `'42'` matches `'42'` but not `'420'`.
 *
 * A regular expression matches when its `test` succeeds (so it may match a part
 * of the string unless it is anchored with `^…$`).
 *
 * @see BroadcastFilter
 */
export type MatchPattern = string | RegExp;

/** A compiled {@link MatchPattern}: tells whether a string matches. */
export type Matcher = (value: string) => boolean;

/** Compiles a wildcard pattern or regular expression into a {@link Matcher}. */
export function compileMatchPattern(pattern: MatchPattern): Matcher {
  if (pattern instanceof RegExp) {
    // A global or sticky expression keeps state in lastIndex between tests; reset it.
    if (pattern.global || pattern.sticky) {
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value);
      };
    }
    return (value) => pattern.test(value);
  }
  if (!/[*?[]/.test(pattern)) {
    return (value) => value === pattern;
  }
  const regExp = wildcardToRegExp(pattern);
  return (value) => regExp.test(value);
}

/** Translates a wildcard pattern (see {@link MatchPattern}) into an anchored regular expression. */
export function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern.charAt(index);
    index += 1;
    if (char === '*') {
      source += '[\\s\\S]*';
    } else if (char === '?') {
      source += '[\\s\\S]';
    } else if (char === '[') {
      const set = readCharacterSet(pattern, index);
      if (set === undefined) {
        source += '\\[';
      } else {
        source += set.source;
        index = set.end;
      }
    } else {
      source += escapeRegExpChar(char);
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

/**
 * Reads a `[...]` set whose opening bracket precedes `start`. Returns the
 * regular-expression class and the index after the closing bracket, or
 * `undefined` when the bracket is not closed (it is then a literal `[`).
 */
function readCharacterSet(pattern: string, start: number): { source: string; end: number } | undefined {
  let index = start;
  let negated = false;
  if (pattern.charAt(index) === '!') {
    negated = true;
    index += 1;
  }
  // A `]` right after `[` or `[!` is a member of the set, as in fnmatch.
  const membersStart = index;
  if (pattern.charAt(index) === ']') index += 1;
  const close = pattern.indexOf(']', index);
  if (close < 0) return undefined;
  const members = pattern.slice(membersStart, close);
  let body = '';
  for (let i = 0; i < members.length; i += 1) {
    const char = members.charAt(i);
    // Keep ranges (a-z) as ranges; escape every other character.
    body += char === '-' && i > 0 && i < members.length - 1 ? '-' : escapeClassChar(char);
  }
  return { source: `[${negated ? '^' : ''}${body}]`, end: close + 1 };
}

function escapeRegExpChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function escapeClassChar(char: string): string {
  return /[\\\]^[-]/.test(char) ? `\\${char}` : char;
}
