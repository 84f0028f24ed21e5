import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The handler and `pg` as one CommonJS file for the nodejs22.x runtime, built when the program runs. */
export interface AccessBundle {
  readonly code: string;
  readonly sha256: string;
}

let cached: AccessBundle | undefined;

export async function accessBundle(): Promise<AccessBundle> {
  if (cached) return cached;
  // esbuild comes with tsx, which runs the program (Pulumi.yaml: nodeargs --import tsx).
  const { build } = await import('esbuild');
  const out = await build({
    // The source under tsx (`pulumi up`), the compiled file when run from dist/.
    entryPoints: [['./handler.ts', './handler.js'].map((f) => fileURLToPath(new URL(f, import.meta.url))).find((f) => existsSync(f)) ?? 'handler.ts not found next to bundle.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // pg loads its native binding only when asked for it.
    external: ['pg-native'],
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no bundle for infra/access-lambda/handler.ts');
  cached = { code, sha256: createHash('sha256').update(code).digest('hex') };
  return cached;
}
