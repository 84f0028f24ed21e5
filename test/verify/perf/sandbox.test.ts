import { describe, expect, it } from 'vitest';
import { httpSandbox } from '../../../sandbox/http/index.js';
import { targetsSchema, UsageError, type StackSpec } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { perfFamily } from '../../../verify/perf/index.js';
import { runVerify } from '../../../verify/runner.js';
import { useSandboxContext } from '../../sandbox/sandbox-context.js';
import { LATENCY } from './stack.js';

const ctx = useSandboxContext();

async function sandboxRun(spec: StackSpec, breaks: string[]) {
  const running = await httpSandbox.start(spec, ctx(), new Set(breaks));
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
    await expect(httpSandbox.start(LATENCY, ctx(), new Set(['perf.web-vitals']))).rejects.toThrow(
      new UsageError('--break perf.web-vitals: perf.web-vitals: cannot plant a fault: the stack has no perf.webVitals budget'),
    );
  });
});
