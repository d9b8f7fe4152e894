/**
 * Puts `value` into `outputs` under `name`; a dotted name (`'ns.port'`)
 * addresses nested objects, created when missing.
 */
export function setOutput(outputs: Record<string, unknown>, name: string, value: unknown): void {
  if (name.indexOf('.') === -1) {
    outputs[name] = value;
    return;
  }
  const parts = name.split('.');
  let target = outputs;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const key = parts[i]!;
    let next = target[key] as Record<string, unknown> | undefined;
    if (next === undefined) target[key] = next = {};
    target = next;
  }
  target[parts[parts.length - 1]!] = value;
}
