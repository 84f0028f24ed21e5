import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureLine, pulumiRefresh, refreshResult, resourceSummary } from '../../drift/refresh.js';
import { fakePulumiDir } from './fake-pulumi.js';

const bin = fakePulumiDir();
const work = mkdtempSync(join(tmpdir(), 'prodcheck-refresh-'));
const log = join(work, 'pulumi-args.log');
const env = (exit: string) => ({ PATH: `${bin}:/usr/bin:/bin`, FAKE_PULUMI_EXIT: exit, FAKE_PULUMI_LOG: log });

describe('pulumi refresh --preview-only --expect-no-changes, folded into drift', () => {
  it('runs in the stack directory with exactly these arguments; exit 0 is no changes', async () => {
    const outcome = await pulumiRefresh({ stack: 'live', cwd: work, env: env('0') });
    expect(outcome).toMatchObject({ status: 'pass', message: 'pulumi refresh --preview-only found no changes in stack live.' });
    expect(readFileSync(log, 'utf8')).toBe(`refresh\n--preview-only\n--expect-no-changes\n--non-interactive\n--stack\nlive\n${work}\n`);
  });

  it('exit 7 is drift, with the Resources summary Pulumi printed', async () => {
    const outcome = await pulumiRefresh({ stack: 'live', cwd: work, env: env('7') });
    expect(outcome).toMatchObject({ status: 'fail', message: 'pulumi refresh --preview-only found resources changed outside Pulumi in stack live (~ 1 to update, 4 unchanged).' });
    expect(refreshResult(outcome)).toMatchObject({ control: 'iac.stack-converged', title: 'Declared resources provisioned, no drift', severity: 'critical', status: 'fail' });
  });

  it('any other exit could not check, quoting the error line (and why 255 is ambiguous)', async () => {
    const outcome = await pulumiRefresh({ stack: 'live', cwd: work, env: env('255') });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe(
      "pulumi refresh could not check stack live (exit 255): error: no stack named 'live' found. Pulumi CLIs before exit code 7 also exit 255 when there are changes: upgrade the CLI to tell the two apart.",
    );
  });

  it('no pulumi on PATH is a skip line, not an error', async () => {
    const outcome = await pulumiRefresh({ stack: 'live', cwd: work, env: { PATH: '/nonexistent' } });
    expect(outcome).toEqual({ status: 'skip', message: 'Pulumi refresh skipped: no pulumi CLI on PATH.', durationMs: 0 });
  });

  it('a refresh that hangs is stopped at the timeout and could not check', async () => {
    const outcome = await pulumiRefresh({ stack: 'live', cwd: work, env: env('sleep'), timeoutMs: 300 });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe('pulumi refresh did not finish for stack live within 0.3 s (stopped).');
    expect(outcome.durationMs).toBeLessThan(3000);
  });

  it('reads the summary and the error line out of colored output', () => {
    expect(resourceSummary('\u001b[1mResources:\u001b[0m\n    \u001b[33m~ 2 to update\u001b[0m\n    - 1 to delete\n    3 unchanged\n\nDuration: 1s\n')).toBe('~ 2 to update, - 1 to delete, 3 unchanged');
    expect(resourceSummary('no summary here')).toBeUndefined();
    expect(failureLine('Updating...\n\u001b[31merror:\u001b[0m failed to decrypt config.\nmore\n')).toBe('error: failed to decrypt config');
  });
});
