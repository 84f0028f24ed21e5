import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](lighthouse|chrome-launcher)(?:\/[^'"]*)?['"]/g;

describe('Lighthouse is loaded lazily', () => {
  it('no source file imports lighthouse or chrome-launcher statically (type-only imports aside): the CLI starts without them', () => {
    const files = ['verify', 'cli', 'report', 'spec', 'drift', 'sandbox'].flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => join(dir, f)),
    );
    const offenders = files.flatMap((f) =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(STATIC_IMPORT)].filter((m) => !/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())).map((m) => `${f}: ${m[1]}`),
    );
    expect(offenders).toEqual([]);
    expect(readFileSync(join(ROOT, 'verify/perf/lighthouse.ts'), 'utf8')).toMatch(/await import\('lighthouse'\)|import\('lighthouse'\)/);
  });
});
