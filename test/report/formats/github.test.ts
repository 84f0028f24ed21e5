import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendStepSummary, escapeData, escapeProperty, renderAnnotations, renderGithub } from '../../../report/formats/github.js';
import { renderMarkdown } from '../../../report/formats/md.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, REPORT, SECRET, SECRET_CORES, redactor, source } from './fixture.js';

const opts = { redactor: redactor() };

describe('github reporter', () => {
  it('annotates what needs attention: error for critical/high, warning for medium, notice for low and waived', () => {
    expect(renderAnnotations(REPORT, opts)).toBe(
      [
        '::error title=pg.rls::[public.orders] RLS must be enabled on public.orders (found disabled).',
        '::notice title=pg.backups.retention::Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)',
        '::error title=redis.eviction-policy::Redis maxmemory-policy must be allkeys-lru (found noeviction).',
        '::error title=stripe.webhook.endpoint::stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.',
        '::warning title=http.security-headers::Strict-Transport-Security must be set (found none).',
        '::notice title=http.compression::Responses must be compressed with br or gzip (found identity).',
        '',
      ].join('\n'),
    );
  });

  it('points each annotation at the workspace-relative stack file and the line of its control', () => {
    const lines = renderAnnotations(REPORT, { ...opts, source: source() }).split('\n');
    expect(lines[0]).toBe('::error file=infra/Pulumi.prod.yaml,line=46,title=pg.rls::[public.orders] RLS must be enabled on public.orders (found disabled).');
    expect(lines[2]).toBe('::error file=infra/Pulumi.prod.yaml,line=61,title=redis.eviction-policy::Redis maxmemory-policy must be allkeys-lru (found noeviction).');
  });

  it('leaves file= out when the stack file lies outside the workspace: GitHub would not find it', () => {
    const text = renderAnnotations(REPORT, { ...opts, source: source('/etc/prodcheck/Pulumi.prod.yaml', false) });
    expect(text).not.toContain('file=');
    expect(text.split('\n')[0]).toBe('::error title=pg.rls::[public.orders] RLS must be enabled on public.orders (found disabled).');
  });

  it('warns about an advisory gate violation, though it passed', () => {
    const report: Report = { ...REPORT, results: [REPORT.results[0]!, ADVISORY_RESULT] };
    expect(renderAnnotations(report, { ...opts, source: source() })).toBe(
      '::warning file=infra/Pulumi.prod.yaml,line=49,title=redis.tls (advisory%2C not enforced)::[chat-cache] advisory, not enforced: transitEncryptionEnabled must be true (found false).\n',
    );
  });

  it('escapes %, CR and LF in the message and also : and , in properties, so no text can end or forge a command', () => {
    const report: Report = {
      ...REPORT,
      results: [{ ...REPORT.results[4]!, message: 'hit rate 95% (want 99%)\r\n::error::forged, really: yes', resource: 'db:5432,primary' }],
    };
    expect(renderAnnotations(report, { ...opts, source: source('stacks/prod:eu,1.yaml') })).toBe(
      '::error file=stacks/prod%3Aeu%2C1.yaml,line=61,title=redis.eviction-policy::[db:5432,primary] hit rate 95%25 (want 99%25)%0D%0A::error::forged, really: yes\n',
    );
    expect(escapeData('100%\n\r:,')).toBe('100%25%0A%0D:,');
    expect(escapeProperty('100%\n\r:,')).toBe('100%25%0A%0D%3A%2C');
  });

  it('follows the annotations with the Markdown step summary', () => {
    const text = renderGithub(REPORT, opts);
    expect(text).toBe(`${renderAnnotations(REPORT, opts)}\n${renderMarkdown(REPORT, opts)}`);
    const clean: Report = { ...REPORT, summary: { pass: 1, fail: 0, error: 0, skip: 0, waived: 0 }, results: [REPORT.results[0]!] };
    expect(renderGithub(clean, opts)).toBe(renderMarkdown(clean, opts));
  });

  describe('appendStepSummary', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'prodcheck-summary-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('appends the redacted summary to the file it is given, keeping what earlier steps wrote', async () => {
      const path = join(dir, 'step_summary.md');
      await writeFile(path, '# earlier step\n');
      const leaky: Report = { ...REPORT, results: [{ ...REPORT.results[0]!, message: `connected as ${SECRET}` }] };
      await appendStepSummary(path, leaky, opts);
      const text = await readFile(path, 'utf8');
      expect(text.startsWith('# earlier step\n# prodcheck verify: prod\n')).toBe(true);
      expect(text).toContain('— connected as \\[REDACTED\\]');
      for (const core of SECRET_CORES) expect(text).not.toContain(core);
    });
  });
});
