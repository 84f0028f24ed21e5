import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dnsSandbox } from '../../sandbox/dns/index.js';
import { repoSandbox } from '../../sandbox/repo/index.js';
import { loadStackFile, stackSpecSchema } from '../../spec/index.js';
import { dnsFamily } from '../../verify/dns/index.js';
import { repoFamily } from '../../verify/repo/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

describe('repo sandbox', () => {
  it('builds a clean repository; the audit skips because the sandbox stays offline', async () => {
    const { report } = await startAndVerify(repoSandbox, repoFamily as never, spec, ctx());
    expect(notPassing(report)).toEqual([]);
    expect(report.results.find((r) => r.control === 'repo.dependency-audit')?.status).toBe('skip');
  });

  it.each(repoSandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, running } = await startAndVerify(repoSandbox, repoFamily as never, spec, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of running.secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });
});

describe('dns sandbox', () => {
  const withMx = stackSpecSchema.parse({ ...spec, dns: { ...spec.dns, mx: [{ exchange: 'mx1.example.com', priority: 10 }] } });

  it('answers the records of the stack', async () => {
    const { report } = await startAndVerify(dnsSandbox, dnsFamily as never, withMx, ctx());
    expect(report.results.map((r) => [r.control, r.status])).toEqual([
      ['dns.records', 'pass'],
      ['dns.mx-records', 'pass'],
    ]);
  });

  it.each(dnsSandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report } = await startAndVerify(dnsSandbox, dnsFamily as never, withMx, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
  });

  it('refuses the MX fault for a stack without MX records', async () => {
    await expect(dnsSandbox.start(spec, ctx(), new Set(['dns.mx-records']))).rejects.toThrow('--break dns.mx-records: the stack lists no MX records');
  });
});
