import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vercelSandbox } from '../../sandbox/vercel/index.js';
import { loadStackFile } from '../../spec/index.js';
import { vercelFamily } from '../../verify/vercel/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext({
  'postgres.url': 'postgres://app:sandbox-pg-pass-1@127.0.0.1:45432/chat?sslmode=require',
  'redis.url': 'rediss://default:sandbox-redis-pass-1@127.0.0.1:46379',
});
const run = (breaks: string[] = []) => startAndVerify(vercelSandbox, vercelFamily as never, spec, ctx(), breaks);

describe('vercel sandbox (default profile)', () => {
  it('serves a project on which every vercel and env check passes or skips, without printing a secret', async () => {
    const { report, running } = await run();
    expect(notPassing(report)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'skip').map((r) => r.control).sort()).toEqual(['env.admin-emails', 'env.app-url', 'env.bcrypt-rounds', 'env.required-vars', 'env.targets']);
    expect(running.targets.vercel?.expect).toEqual({ databaseHost: '127.0.0.1', redisHost: '127.0.0.1' });
    const text = JSON.stringify(report);
    for (const secret of running.secrets) expect(text).not.toContain(secret);
  });

  const plantable = vercelSandbox.breakable.filter((id) => id !== 'env.targets' && id !== 'env.admin-emails');

  it.each(plantable)('plants %s so that exactly that control fails', async (control) => {
    const { report } = await run([control]);
    expect(failing(report)).toEqual([control]);
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('plants every plantable fault at once', async () => {
    expect(failing((await run(plantable)).report)).toEqual([...plantable].sort());
  });

  it('refuses faults the stack leaves nothing to break for', async () => {
    await expect(run(['env.targets'])).rejects.toThrow('--break env.targets: env.targets: cannot plant a fault: no env var lists forbiddenTargets');
    await expect(run(['env.admin-emails'])).rejects.toThrow('--break env.admin-emails: env.admin-emails: cannot plant a fault: the stack lists no admin emails');
  });
});
