import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StackSpec } from '../../spec/index.js';
import { UsageError } from '../../spec/index.js';
import { createGitRepo, fakeCredential } from '../../test/fixtures/git-repo.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';

const GITIGNORE = 'node_modules\n.next\n.env*\n!.env.example\n';

const envExample = (keys: readonly string[]) => `# Copy to .env.local and fill in; never commit real values.\n${keys.map((k) => `${k}=`).join('\n')}\n`;

/**
 * A git repository as the app's should be: .gitignore covering env files, .env.example documenting every
 * env var of the stack, a history without secrets, and an ignored .env.local. It has no package.json:
 * npm audit needs the registry, and a sandbox run must not depend on the network, so
 * repo.dependency-audit skips here (saying why) and its fault is not offered.
 */
export const repoSandbox: SandboxFamily = {
  name: 'repo',
  phase: 1,
  applies: () => true,
  breakable: ['repo.no-committed-secrets', 'repo.gitignore-env', 'repo.env-example-complete'],
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const keys = Object.keys(spec.env.vars).sort();
    const repo = createGitRepo(mkdtempSync(join(ctx.tmpDir, 'repo-')));
    const secrets: string[] = [];
    const documented = breaks.has('repo.env-example-complete') ? keys.slice(1) : keys;
    if (breaks.has('repo.env-example-complete') && keys.length === 0) throw new UsageError('--break repo.env-example-complete: the stack declares no env vars to leave out of .env.example');
    repo.commit({ '.gitignore': GITIGNORE, '.env.example': envExample(documented), 'README.md': `# ${spec.app.name}\n` }, 'Initial commit');
    if (breaks.has('repo.no-committed-secrets')) {
      // Committed, then "fixed" by deleting it: still in history, which is what the check scans.
      const key = fakeCredential('stripe-live');
      secrets.push(key);
      repo.commit({ 'lib/stripe.ts': `export const stripeKey = '${key}';\n` }, 'Wire up billing');
      repo.commit({ 'lib/stripe.ts': 'export const stripeKey = process.env.STRIPE_SECRET_KEY;\n' }, 'Read the Stripe key from the environment');
      ctx.log('repo: planted the repo.no-committed-secrets fault');
    }
    if (breaks.has('repo.gitignore-env')) {
      // A value no secret scanner would flag, so only the tracking itself is the fault.
      repo.commit({ '.env.local': 'NEXT_PUBLIC_FEATURE_PREVIEW=1\n' }, 'Share local settings');
      ctx.log('repo: planted the repo.gitignore-env fault');
    } else {
      repo.write({ '.env.local': 'NEXT_PUBLIC_FEATURE_PREVIEW=1\n' });
    }
    if (breaks.has('repo.env-example-complete')) ctx.log(`repo: planted the repo.env-example-complete fault (.env.example leaves out ${keys[0]})`);
    return {
      targets: { repo: { path: repo.dir, auditTimeoutMs: 60_000, maxHistoryBytes: 64 * 1024 * 1024 } },
      secrets,
      describe: [`repo      ${repo.dir} (git repository of the app)`],
      stop: async () => rmSync(repo.dir, { recursive: true, force: true }),
    };
  },
};
