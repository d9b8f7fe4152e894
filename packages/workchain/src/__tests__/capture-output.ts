import { format } from 'node:util';
import { vi } from 'vitest';

/** Runs `fn` and returns every line it printed with console.log. */
export async function captureOutput(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(...format(...args).split('\n'));
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}
