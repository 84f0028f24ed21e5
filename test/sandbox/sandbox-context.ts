import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTlsFiles, type TlsFiles } from '../../sandbox/services/tls.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../../sandbox/types.js';
import type { StackSpec } from '../../spec/index.js';
import { Redactor } from '../../report/redact.js';
import { runVerify } from '../../verify/runner.js';
import type { TargetFamily } from '../../verify/types.js';
import type { Report } from '../../report/types.js';

/** A sandbox context for one family's tests: its own temp dir and CA, removed after the file's tests. */
export function useSandboxContext(outputs: Readonly<Record<string, string>> = {}): () => SandboxContext {
  let ctx: SandboxContext | undefined;
  let tls: TlsFiles | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodcheck-sandbox-test-'));
    tls = await createTlsFiles({ tmpRoot: dir, names: ['localhost'], validDays: 1 });
    ctx = { tmpDir: dir, tls, outputs, log: () => undefined };
  });
  afterAll(async () => {
    await tls?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!ctx) throw new Error('useSandboxContext(): call the getter inside a test');
    return ctx;
  };
}

/** Starts `family` with `breaks`, verifies it with `verify`, stops it, and returns the report and the secrets. */
export async function startAndVerify(
  family: SandboxFamily,
  verify: TargetFamily<unknown>,
  spec: StackSpec,
  ctx: SandboxContext,
  breaks: readonly string[] = [],
): Promise<{ report: Report; running: SandboxRunning }> {
  const running = await family.start(spec, ctx, new Set(breaks));
  try {
    const redactor = new Redactor().add(...running.secrets);
    const report = await runVerify({ stack: 'sandbox', spec, targets: running.targets, families: [verify], redactor, select: () => true, active: false });
    return { report, running };
  } finally {
    await running.stop();
  }
}

export const failing = (r: Report) => [...new Set(r.results.filter((x) => x.status === 'fail').map((x) => x.control))].sort();
export const notPassing = (r: Report) => r.results.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => `${x.control}: ${x.message}`);
