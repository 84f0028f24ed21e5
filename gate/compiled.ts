import type { Dirent } from 'node:fs';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The gate runs TypeScript in two processes of its own: the Pulumi program (under tsx) and the policy pack
 * (its main.cjs registers tsx). Where the file is one of this package's own sources and `npm run build`
 * compiled it, the gate runs the compiled JavaScript instead: the same code, without transpiling it and
 * loading a TypeScript loader at every run. Only while the build is fresh: a source edited since makes
 * the gate fall back to the sources, so what runs is always what is on disk.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
/** The package root: this file is gate/compiled.ts in the sources and dist/gate/compiled.js once built. */
export const PACKAGE_ROOT = HERE.endsWith(`${sep}dist${sep}gate`) ? join(HERE, '../..') : join(HERE, '..');

const SOURCE = /\.(?:ts|mts|cts|json)$/;

function newestSource(dir: string): number {
  let newest = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (SOURCE.test(e.name)) newest = Math.max(newest, statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  }
  return newest;
}

const fresh = new Map<string, boolean>();

/**
 * True when dist/ holds a build of every source the build compiles (tsconfig.build.json's `include`):
 * none was modified after the build's info file, which tsc writes last, and only when it emitted.
 */
export function buildIsFresh(root = PACKAGE_ROOT): boolean {
  const known = fresh.get(root);
  if (known !== undefined) return known;
  let result = false;
  const built = statSync(join(root, 'dist/.tsbuildinfo'), { throwIfNoEntry: false })?.mtimeMs;
  if (built !== undefined) {
    try {
      const include = (JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include?: string[] }).include ?? [];
      result = include.length > 0 && include.every((dir) => newestSource(join(root, dir)) <= built);
    } catch {
      result = false;
    }
  }
  fresh.set(root, result);
  return result;
}

/** The compiled file of a TypeScript source of this package, if the build is fresh; else undefined (run the source). */
export function compiledCounterpart(source: string, root = PACKAGE_ROOT): string | undefined {
  const rel = relative(root, source);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep)[0] === 'dist' || rel.split(sep).includes('node_modules')) return undefined;
  const js = rel.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  if (js === rel) return undefined;
  const out = join(root, 'dist', js);
  return existsSync(out) && buildIsFresh(root) ? out : undefined;
}
