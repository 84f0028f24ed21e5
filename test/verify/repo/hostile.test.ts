import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { MAX_ENV_EXAMPLE_BYTES, repoFamily } from '../../../verify/repo/index.js';
import { runVerify } from '../../../verify/runner.js';
import type { Report } from '../../../report/types.js';
import { createGitRepo } from '../../fixtures/git-repo.js';

// A checkout is input an attacker may shape: its files must never hang, flood or leak the run.
const spec: StackSpec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com' }, env: { vars: { AUTH_SECRET: { from: 'generated' } } } });
const root = mkdtempSync(join(tmpdir(), 'prodcheck-repo-hostile-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repoWith(plant: (dir: string) => void) {
  const repo = createGitRepo(join(root, `r${n++}`));
  repo.commit({ '.gitignore': '.env*\n!.env.example\n', 'src/a.ts': 'export {};\n' }, 'init');
  plant(repo.dir);
  return repo.dir;
}

async function verify(path: string): Promise<Report> {
  return runVerify({ stack: 't', spec, targets: targetsSchema.parse({ repo: { path } }), families: [repoFamily as never], redactor: new Redactor(), select: (id) => id === 'repo.env-example-complete', active: false, targetTimeoutMs: 20_000 });
}
const only = (r: Report) => r.results.map((x) => [x.status, x.message]);

describe('repo collector on a hostile checkout', () => {
  it('never follows a .env.example symlink out of the repository (to /dev/zero: would read forever)', async () => {
    const dir = repoWith((d) => symlinkSync('/dev/zero', join(d, '.env.example')));
    expect(only(await verify(dir))).toEqual([['error', 'Could not read .env.example (.env.example is a symlink to /dev/zero, outside the repository: prodcheck does not follow it; commit the file itself).']]);
  });

  it('never opens a FIFO (would block until a writer comes)', async () => {
    const dir = repoWith((d) => execFileSync('mkfifo', [join(d, '.env.example')]));
    expect(only(await verify(dir))).toEqual([['error', 'Could not read .env.example (.env.example is not a regular file (a FIFO): prodcheck reads only regular files).']]);
  });

  it('refuses an oversized file without reading it, and a dangling link', async () => {
    const big = repoWith((d) => writeFileSync(join(d, '.env.example'), Buffer.alloc(MAX_ENV_EXAMPLE_BYTES + 1, 'A')));
    expect(only(await verify(big))).toEqual([['error', `Could not read .env.example (.env.example is ${MAX_ENV_EXAMPLE_BYTES + 1} bytes, more than the ${MAX_ENV_EXAMPLE_BYTES} a template of env keys can need: prodcheck does not read it).`]]);
    const dangling = repoWith((d) => symlinkSync(join(d, 'gone'), join(d, '.env.example')));
    expect(only(await verify(dangling))).toEqual([['error', 'Could not read .env.example (.env.example is a symlink to nothing (dangling): commit the file itself).']]);
  });

  it('follows a symlink that stays inside the repository', async () => {
    const dir = repoWith((d) => {
      writeFileSync(join(d, 'env.template'), 'AUTH_SECRET=\n');
      symlinkSync('env.template', join(d, '.env.example'));
    });
    expect(only(await verify(dir))).toEqual([['pass', '.env.example documents all 1 env var of the stack.']]);
  });

  it('says a missing repository directory is missing, not "spawn git ENOENT"', async () => {
    const gone = join(root, 'no-such-checkout');
    expect(only(await verify(gone))).toEqual([['error', `repo could not be reached: the repository directory ${gone} does not exist: set repo.path in the targets file to a git checkout.`]]);
  });
});
