import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsFresh, compiledCounterpart } from '../../gate/compiled.js';

const tmp = mkdtempSync(join(tmpdir(), 'prodcheck-compiled-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BUILT = new Date('2026-01-01T12:00:00Z');

/** A package root with one source, its build at BUILT, and the source last modified at `edited`. */
function packageAt(name: string, edited: Date, opts: { buildInfo?: boolean } = {}): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'infra/components'), { recursive: true });
  mkdirSync(join(root, 'dist/infra'), { recursive: true });
  writeFileSync(join(root, 'tsconfig.build.json'), JSON.stringify({ include: ['infra'] }));
  writeFileSync(join(root, 'infra/index.ts'), 'export default 1;\n');
  writeFileSync(join(root, 'infra/components/db.ts'), 'export const db = 1;\n');
  writeFileSync(join(root, 'dist/infra/index.js'), 'export default 1;\n');
  utimesSync(join(root, 'infra/index.ts'), BUILT, BUILT);
  utimesSync(join(root, 'infra/components/db.ts'), edited, edited);
  if (opts.buildInfo !== false) {
    writeFileSync(join(root, 'dist/.tsbuildinfo'), '{}');
    utimesSync(join(root, 'dist/.tsbuildinfo'), BUILT, BUILT);
  }
  return root;
}

describe('the compiled counterpart of a source of this package', () => {
  it('is the built file while no source changed after the build', () => {
    const root = packageAt('fresh', new Date('2026-01-01T11:00:00Z'));
    expect(buildIsFresh(root)).toBe(true);
    expect(compiledCounterpart(join(root, 'infra/index.ts'), root)).toBe(join(root, 'dist/infra/index.js'));
  });

  it('is none once any source the build compiles (even one the file does not name) is newer than the build', () => {
    const root = packageAt('stale', new Date('2026-01-01T13:00:00Z'));
    expect(buildIsFresh(root)).toBe(false);
    expect(compiledCounterpart(join(root, 'infra/index.ts'), root)).toBeUndefined();
  });

  it('is none without the build info tsc writes (no build, or not known to be complete)', () => {
    const root = packageAt('unbuilt', new Date('2026-01-01T11:00:00Z'), { buildInfo: false });
    expect(compiledCounterpart(join(root, 'infra/index.ts'), root)).toBeUndefined();
  });

  it('is none for a file outside the package, in dist/, without a build output, or not TypeScript', () => {
    const root = packageAt('others', new Date('2026-01-01T11:00:00Z'));
    expect(compiledCounterpart(join(tmp, 'elsewhere/infra/index.ts'), root)).toBeUndefined();
    expect(compiledCounterpart(join(root, 'dist/infra/index.js'), root)).toBeUndefined();
    expect(compiledCounterpart(join(root, 'infra/components/db.ts'), root)).toBeUndefined();
    expect(compiledCounterpart(join(root, 'infra/index.js'), root)).toBeUndefined();
  });
});
