import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSandbox } from '../../../sandbox/http/index.js';
import { createTlsFiles, type TlsFiles } from '../../../sandbox/services/tls.js';
import type { SandboxContext } from '../../../sandbox/types.js';
import { targetsSchema, UsageError, type StackSpec } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { perfFamily } from '../../../verify/perf/index.js';
import { runVerify } from '../../../verify/runner.js';
import { LATENCY } from './stack.js';

let dir: string;
let tls: TlsFiles;
let ctx: SandboxContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-perf-sandbox-'));
  tls = await createTlsFiles({ tmpRoot: dir });
  ctx = { tmpDir: dir, tls, outputs: {}, log: () => undefined };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function sandboxRun(spec: StackSpec, breaks: string[]) {
  const running = await httpSandbox.start(spec, ctx, new Set(breaks));
  try {
    const targets = targetsSchema.parse(running.targets);
    const report = await runVerify({ stack: 'sandbox', spec, targets, families: [perfFamily as never], redactor: new Redactor().add(...running.secrets), select: () => true, active: true });
    return report.results.map((r) => [r.control, r.status]);
  } finally {
    await running.stop();
  }
}

describe('perf breaks in the sandbox app', () => {
  it('passes the latency budgets, and --break fails exactly the control broken', async () => {
    expect(await sandboxRun(LATENCY, [])).toEqual([
      ['perf.api-latency', 'pass'],
      ['perf.models-cache-latency', 'pass'],
      ['perf.web-vitals', 'skip'],
    ]);
    expect(await sandboxRun(LATENCY, ['perf.models-cache-latency'])).toEqual([
      ['perf.api-latency', 'pass'],
      ['perf.models-cache-latency', 'fail'],
      ['perf.web-vitals', 'skip'],
    ]);
    expect(await sandboxRun(LATENCY, ['perf.api-latency'])).toEqual([
      ['perf.api-latency', 'fail'],
      ['perf.models-cache-latency', 'pass'],
      ['perf.web-vitals', 'skip'],
    ]);
  }, 90_000);

  it('refuses a perf break the stack has no budget for', async () => {
    await expect(httpSandbox.start(LATENCY, ctx, new Set(['perf.web-vitals']))).rejects.toThrow(
      new UsageError('--break perf.web-vitals: perf.web-vitals: cannot plant a fault: the stack has no perf.webVitals budget'),
    );
  });
});
