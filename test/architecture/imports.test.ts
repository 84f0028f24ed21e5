import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '../..'));
const SOURCE_FOLDERS = ['checklist', 'spec', 'report', 'verify', 'drift', 'gate', 'sandbox', 'cli', 'infra', 'policies'] as const;
type Folder = (typeof SOURCE_FOLDERS)[number];

/** The layering of the README's architecture section: each folder and the folders it may import. */
const ALLOWED: Readonly<Record<Folder, readonly string[]>> = {
  checklist: [],
  spec: ['checklist'],
  report: ['spec', 'checklist'],
  verify: ['report', 'spec', 'checklist'],
  drift: ['verify', 'report', 'spec', 'checklist'],
  gate: ['infra', 'policies', 'report', 'spec', 'checklist'],
  sandbox: ['verify', 'report', 'spec', 'checklist', 'infra', 'test'],
  cli: ['verify', 'drift', 'gate', 'sandbox', 'infra', 'policies', 'report', 'spec', 'checklist'],
  infra: ['spec', 'checklist'],
  // The pack reads the stack's config with the program's own reader, so both judge the same values.
  policies: ['infra', 'spec', 'checklist'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): { relative: string[]; bare: string[] } {
  const text = readFileSync(file, 'utf8');
  const relativeSpecs: string[] = [];
  const bare: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined) continue;
    if (spec.startsWith('.')) relativeSpecs.push(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))));
    else bare.push(spec);
  }
  return { relative: relativeSpecs, bare };
}

const files = SOURCE_FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)));
const folderOf = (file: string): string => relative(ROOT, file).split('/')[0] ?? '';

describe('architecture', () => {
  it('folders import only the layers below them', () => {
    const violations = files.flatMap((file) => {
      const from = folderOf(file) as Folder;
      return importsOf(file)
        .relative.map(folderOf)
        .filter((to) => to !== from && !ALLOWED[from].includes(to))
        .map((to) => `${relative(ROOT, file)} imports ${to}/`);
    });
    expect(violations).toEqual([]);
  });

  it('verify, report and cli never load @pulumi/* (the CLI starts fast and verify runs where Pulumi is not installed)', () => {
    const violations = files
      .filter((f) => ['verify', 'report', 'cli', 'drift', 'checklist', 'spec'].includes(folderOf(f)))
      .flatMap((file) => importsOf(file).bare.filter((b) => b.startsWith('@pulumi/')).map((b) => `${relative(ROOT, file)} imports ${b}`));
    expect(violations).toEqual([]);
  });

  it('no module imports itself through a circle', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).relative.filter((t) => files.includes(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });
});
