import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLS } from '../../checklist/index.js';
import { computeCoverage } from '../../checklist/coverage.js';
import { renderControls } from '../../cli/commands/controls-render.js';
import { loadImplementations, precomputedControls, registeredImplementations, writeImplementationsManifest } from '../../cli/implementations.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the coverage manifest (dist/cli/implementations.json)', () => {
  it('holds exactly what every stage registers, and is what prodcheck controls reads', async () => {
    const manifest = pathToFileURL(join(dir, 'implementations.json'));
    await writeImplementationsManifest(manifest);
    const live = await loadImplementations();
    expect(live.length).toBeGreaterThan(200);
    expect(await registeredImplementations(manifest)).toEqual(live);
    // The pages `prodcheck controls` prints are rendered at build from the same registry.
    const coverage = computeCoverage(CONTROLS, live);
    for (const format of ['table', 'json', 'md'] as const) expect(precomputedControls(format, manifest)).toEqual({ page: renderControls(coverage)[format], problems: coverage.problems });
    expect(precomputedControls('table', manifest)?.page).toMatch(/^CONTROL +SEVERITY {2}P G V D A {2}TITLE\n/);
    // A registry that did not fit the catalogue at build is carried to the command, which exits 1 on it.
    writeFileSync(join(dir, 'controls.problems'), 'verify/x registers pg.nope, which the catalogue does not know\n');
    expect(precomputedControls('md', manifest)?.problems).toEqual(['verify/x registers pg.nope, which the catalogue does not know']);
    await writeImplementationsManifest(manifest);
    expect(precomputedControls('md', manifest)?.problems).toEqual(coverage.problems);
  });

  it('without a manifest (run from the sources) computes the registry', async () => {
    expect(await registeredImplementations(pathToFileURL(join(dir, 'absent.json')))).toEqual(await loadImplementations());
    expect(precomputedControls('table', pathToFileURL(join(dir, 'absent', 'implementations.json')))).toBeUndefined();
  });
});
