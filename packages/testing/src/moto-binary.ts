import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Finds the `moto_server` executable: on the PATH, or else in a pyenv
 * installation (`$PYENV_ROOT`, default `~/.pyenv`), whose shims are on the PATH
 * only in interactive shells. Returns `undefined` when there is none.
 */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'moto_server'))) return join(dir, 'moto_server');
  }
  const versions = join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (!existsSync(versions)) return undefined;
  for (const version of readdirSync(versions).sort().reverse()) {
    const candidate = join(versions, version, 'bin', 'moto_server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
