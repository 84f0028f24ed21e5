import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadImplementations, registeredImplementations, writeImplementationsManifest } from '../../cli/implementations.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the coverage manifest (dist/cli/implementations.json)', () => {
  it('holds exactly what every stage registers, and is what prodcheck controls reads', async () => {
    const manifest = pathToFileURL(join(dir, 'implementations.json'));
    await writeImplementationsManifest(manifest);
    const live = await loadImplementations();
    expect(live.length).toBeGreaterThan(200);
    expect(await registeredImplementations(manifest)).toEqual(live);
  });

  it('without a manifest (run from the sources) computes the registry', async () => {
    expect(await registeredImplementations(pathToFileURL(join(dir, 'absent.json')))).toEqual(await loadImplementations());
  });
});
