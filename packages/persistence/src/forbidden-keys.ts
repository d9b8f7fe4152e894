/**
 * Whether `key` is one of the object keys refused in saved state
 * (`__proto__`, `constructor`, `prototype`: they could rewrite prototypes
 * when decoded). Cheap for the common case.
 */
export function isForbiddenKey(key: string): boolean {
  const length = key.length;
  return (length === 9 || length === 11) && (key === '__proto__' || key === 'constructor' || key === 'prototype');
}
