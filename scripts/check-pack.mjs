#!/usr/bin/env node
// Packs every published package (after `npm run build`) and installs each one
// alone into an empty project, with only the tarballs of the siblings it
// depends on, then imports it and checks that its exports resolve.
// This is what a user gets from the registry: no workspace links, no sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageGraph, npmName } from './package-graph.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'plumpy-pack-'));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

try {
  const tarballs = {};
  for (const dir of Object.keys(packageGraph)) {
    const out = npm(['pack', '--json', '--pack-destination', work], join(root, 'packages', dir));
    const [info] = JSON.parse(out);
    const shipped = info.files.map((f) => f.path);
    if (!shipped.includes('dist/index.js') || !shipped.includes('dist/index.d.ts')) {
      throw new Error(`${npmName(dir)}: the tarball has no dist/index.js or dist/index.d.ts (run npm run build first)`);
    }
    const leaked = shipped.filter((p) => /\.test\.(ts|js|d\.ts)$/.test(p));
    if (leaked.length > 0) throw new Error(`${npmName(dir)}: the tarball ships tests: ${leaked.join(', ')}`);
    tarballs[npmName(dir)] = join(work, info.filename);
  }

  const closure = (dir, seen = new Set()) => {
    for (const s of packageGraph[dir].siblings) if (!seen.has(s)) { seen.add(s); closure(s, seen); }
    return seen;
  };

  for (const dir of Object.keys(packageGraph)) {
    const name = npmName(dir);
    const project = join(work, `install-${dir}`);
    execFileSync('mkdir', ['-p', project]);
    const deps = { [name]: `file:${tarballs[name]}` };
    const overrides = {};
    for (const s of closure(dir)) overrides[npmName(s)] = `file:${tarballs[npmName(s)]}`;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe', private: true, type: 'module', dependencies: { ...deps, ...overrides }, overrides }, null, 2));
    npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer'], project);
    const exportsMap = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).exports;
    const subpaths = Object.keys(exportsMap).filter((k) => k !== './package.json' && k !== './testkit');
    for (const sub of subpaths) {
      const spec = sub === '.' ? name : `${name}/${sub.slice(2)}`;
      const script = `const m = await import(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) { console.error('no exports'); process.exit(1); }`;
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, stdio: 'inherit' });
    }
    // The shipped declarations must type-check for a consumer (strict, NodeNext, no skipLibCheck for our own).
    writeFileSync(join(project, 'probe.ts'), `import * as probe from ${JSON.stringify(name)};\nexport const names: string[] = Object.keys(probe);\n`);
    execFileSync(process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), 'probe.ts',
    ], { cwd: project, stdio: 'inherit' });
    const installed = readdirSync(join(project, 'node_modules', '@plumpy-ts'), { withFileTypes: true }).map((d) => d.name);
    console.log(`check-pack: ${name} installs alone (with ${installed.length} @plumpy-ts package(s)) and imports`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
