#!/usr/bin/env node
// Checks, for every workspace package, that
//  - each bare import in its sources is declared in its package.json
//    (dependencies/peerDependencies for library code, also devDependencies for tests);
//  - a published package imports only the siblings and third-party packages the
//    contract's table allows (scripts/package-graph.mjs), and declares exactly those;
//  - optional peers (vitest) are imported only from the testkit subpath.
// Exits non-zero with one line per problem.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinModules } from 'node:module';
import { packageGraph, npmName, testkitPeers } from './package-graph.mjs';

const root = new URL('..', import.meta.url).pathname;
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules);
const importRe = /(?:^|[\s;])(?:import|export)\s(?:type\s)?[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s+['"]([^'"]+)['"]/gm;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'node_modules' && entry !== 'dist') yield* sourceFiles(path);
    } else if (/\.(c|m)?tsx?$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

const packageOf = (spec) => {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('#')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? undefined : name;
};

const isTestFile = (file) => /\.test\.tsx?$/.test(file) || /[\\/]__tests__[\\/]/.test(file);

const problems = [];
const workspaceDirs = [
  ...readdirSync(join(root, 'packages')).map((d) => join('packages', d)),
  'examples',
  'bench',
].filter((d) => existsSync(join(root, d, 'package.json')));

const siblingNames = new Set(workspaceDirs.map((d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).name));

for (const dir of workspaceDirs) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const short = dir.startsWith('packages/') ? dir.slice('packages/'.length) : undefined;
  const rule = short ? packageGraph[short] : undefined;
  const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const dev = new Set([...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(rootPkg.devDependencies ?? {})]);
  const srcDir = join(root, dir, 'src');
  if (!existsSync(srcDir)) continue;

  if (rule) {
    const allowed = new Set([...rule.siblings.map(npmName), ...rule.external]);
    const peers = new Set(testkitPeers[short] ?? []);
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!allowed.has(dep)) problems.push(`${pkg.name}: depends on ${dep}, which the contract does not allow`);
    }
    for (const dep of allowed) {
      if (!(pkg.dependencies ?? {})[dep]) problems.push(`${pkg.name}: the contract gives it ${dep}, but package.json does not declare it`);
    }
    for (const dep of Object.keys(pkg.peerDependencies ?? {})) {
      if (!peers.has(dep)) problems.push(`${pkg.name}: peer dependency ${dep} is not allowed`);
    }
  }

  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const test = isTestFile(file);
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const name = packageOf(spec);
      if (!name || name === pkg.name) continue;
      if (!test && rule && siblingNames.has(name) && !rule.siblings.map(npmName).includes(name)) {
        problems.push(`${rel}: imports sibling ${name}, which the contract does not allow for ${pkg.name}`);
        continue;
      }
      if (!test && rule && !siblingNames.has(name) && !rule.external.includes(name)) {
        const peerOk = (testkitPeers[short] ?? []).includes(name) && /[\\/]testkit[\\/]/.test(file);
        if (!peerOk) {
          problems.push(`${rel}: imports ${name}, which the contract does not allow for ${pkg.name}`);
          continue;
        }
      }
      if (runtime.has(name)) continue;
      if (test && dev.has(name)) continue;
      problems.push(`${rel}: imports ${name}, which ${pkg.name} does not declare${test ? ' (devDependencies are enough for tests)' : ''}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-deps: ${workspaceDirs.length} workspace packages match their declared and allowed dependencies`);
