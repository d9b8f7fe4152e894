/** The separator of dotted port names: `'ns.sub.port'`. */
export const NAMESPACE_SEPARATOR = '.';

/**
 * Whether an include rule list selects anything inside (or all of) the namespace `name`.
 * `'ns'` and `'ns.sub'` both select `ns`; `'nsx'` does not.
 */
export function rulesTouch(name: string, rules: readonly string[]): boolean {
  const prefix = name + NAMESPACE_SEPARATOR;
  return rules.some((rule) => rule === name || rule.startsWith(prefix));
}

/**
 * The rules that apply inside the namespace `name`, with its prefix stripped:
 * for `'base'`, `['base.a', 'base.sub.b', 'relax.base.c', 'd']` becomes `['a', 'sub.b']`.
 */
export function stripNamespace(name: string, rules: readonly string[]): string[] {
  const prefix = name + NAMESPACE_SEPARATOR;
  const stripped: string[] = [];
  for (const rule of rules) if (rule.startsWith(prefix)) stripped.push(rule.slice(prefix.length));
  return stripped;
}
