import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { supabaseSandbox } from '../../sandbox/supabase/index.js';
import { vercelSandbox } from '../../sandbox/vercel/index.js';
import { Redactor } from '../../report/redact.js';
import type { Report } from '../../report/types.js';
import { loadStackFile } from '../../spec/index.js';
import { runVerify } from '../../verify/runner.js';
import { supabaseFamily } from '../../verify/supabase/index.js';
import { failing, useSandboxContext } from './sandbox-context.js';

const profile = (name: string) => loadStackFile(fileURLToPath(new URL(`../../examples/Pulumi.${name}.yaml`, import.meta.url))).spec;
const ctx = useSandboxContext();

/** The Supabase project and the Vercel project holding its keys, verified together by the supabase family. */
async function startAndVerify(name: string, breaks: readonly string[] = []): Promise<{ report: Report; secrets: readonly string[] }> {
  const spec = profile(name);
  const supabase = await supabaseSandbox.start(spec, ctx(), new Set(breaks));
  try {
    const vercel = await vercelSandbox.start(spec, { ...ctx(), outputs: supabase.outputs ?? {} }, new Set());
    try {
      const secrets = [...supabase.secrets, ...vercel.secrets];
      const targets = { ...supabase.targets, ...vercel.targets } as never;
      const report = await runVerify({ stack: 'sandbox', spec, targets, families: [supabaseFamily as never], redactor: new Redactor().add(...secrets), select: () => true, active: false });
      return { report, secrets };
    } finally {
      await vercel.stop();
    }
  } finally {
    await supabase.stop();
  }
}

describe('supabase sandbox', () => {
  it.each(['llm-gateway', 'phonepe'])('judges every control of the %s project and passes them (the sensitive service-role var is not readable)', async (name) => {
    const { report } = await startAndVerify(name);
    expect(report.results.map((r) => [r.control, r.status])).toEqual([
      ['pg.instance', 'pass'],
      ['pg.connectivity', 'pass'],
      ['pg.backups.enabled', 'pass'],
      ['pg.backups.retention', 'pass'],
      ['pg.backups.recent', 'pass'],
      ['pg.network-access', 'pass'],
      ['pg.connection-pooling', 'pass'],
      ['env.supabase-keys', 'pass'],
      ['env.supabase-keys', 'skip'],
      ['env.supabase-keys', 'pass'],
    ]);
  });

  it('takes the phonepe project ref from its @supabase/ssr session cookie', async () => {
    const { report } = await startAndVerify('phonepe');
    expect(report.results[0]?.message).toBe('Supabase project abcdefghijklmnopqrst ("production") is ACTIVE_HEALTHY.');
  });

  it.each(supabaseSandbox.breakable)('plants %s so that exactly that control fails, printing no secret', async (control) => {
    const { report, secrets } = await startAndVerify('llm-gateway', [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('refuses the PITR fault for a stack that does not ask for PITR', async () => {
    const spec = profile('llm-gateway');
    await expect(supabaseSandbox.start({ ...spec, supabase: { ...spec.supabase!, pitr: false } }, ctx(), new Set(['pg.backups.enabled']))).rejects.toThrow(
      '--break pg.backups.enabled: pg.backups.enabled: cannot plant a fault: the stack does not ask for point-in-time recovery (prodcheck:supabase.pitr), and switching every backup off would also fail pg.backups.recent',
    );
  });
});
