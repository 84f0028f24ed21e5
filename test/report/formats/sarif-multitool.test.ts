import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../../report/formats/index.js';
import { sourceMapOf } from '../../../report/source.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, LEAKY, REPORT, redactor } from './fixture.js';

/** Microsoft's SARIF multitool (the SARIF SDK's validator), installed from npm as a dev dependency. */
function multitool(): { path?: string; why?: string } {
  let path: string;
  try {
    path = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux') as string;
  } catch (e) {
    return { why: `@microsoft/sarif-multitool-linux is not installed (${(e as Error).message.split('\n')[0]}); run npm ci on Linux x64` };
  }
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) return { why: `the SARIF multitool at ${path} cannot run here: ${probe.error?.message ?? probe.stderr.slice(0, 200)}` };
  return { path };
}

const tool = multitool();
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-sarif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  readonly rule: string;
  readonly level: string;
  readonly text: string;
}

/** Runs `validate` on a log and returns what it found, from its own SARIF output. */
function validate(name: string, text: string): Finding[] {
  const input = join(dir, `${name}.sarif`);
  const output = join(dir, `${name}.validation.sarif`);
  writeFileSync(input, text);
  const run = spawnSync(tool.path!, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const log = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
  const results = log.runs[0]?.results ?? [];
  return results.map((r) => ({ rule: r.ruleId ?? '', level: r.level ?? 'warning', text: r.message.id ?? r.message.text ?? '' }));
}

const ROOT = resolve(import.meta.dirname, '../../..');
const REPORT_WITH_ADVISORY: Report = { ...REPORT, results: [...REPORT.results, ADVISORY_RESULT], summary: { ...REPORT.summary, pass: REPORT.summary.pass + 1 } };

describe.skipIf(tool.path === undefined)(`SARIF validated by Microsoft's SARIF multitool${tool.why ? ` (skipped: ${tool.why})` : ''}`, () => {
  it('a verify report with every status, an advisory and real stack-file lines has no error and no warning but the missing informationUri', () => {
    const text = render('sarif', REPORT_WITH_ADVISORY, {
      redactor: redactor(),
      title: 'prodcheck verify',
      toolVersion: '0.1.0',
      selection: 'only pg.*,redis.*',
      source: sourceMapOf(join(ROOT, 'Pulumi.prod.yaml'), ROOT),
    });
    // prodcheck has no published home page yet; that is the one thing the multitool asks for.
    expect(validate('verify', text)).toEqual([{ rule: 'SARIF2005', level: 'warning', text: 'Warning_ProvideToolnformationUri' }]);
  }, 120_000);

  it('with the tool page a published package has (package.json homepage), not even that warning', () => {
    const text = render('sarif', REPORT_WITH_ADVISORY, {
      redactor: redactor(),
      toolVersion: '0.1.0',
      toolUri: 'https://github.com/acme/prodcheck',
      source: sourceMapOf(join(ROOT, 'Pulumi.prod.yaml'), ROOT),
    });
    expect(validate('published', text)).toEqual([]);
  }, 120_000);

  it('so does a report whose stack file lies outside the workspace (an absolute file: URI) and whose messages carry secrets', () => {
    const text = render('sarif', LEAKY, { redactor: redactor(), toolVersion: '0.1.0', source: sourceMapOf(join(ROOT, 'Pulumi.prod.yaml'), join(ROOT, 'test')) });
    expect(JSON.parse(text).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\//);
    expect(validate('outside', text).filter((f) => f.level === 'error')).toEqual([]);
  }, 120_000);

  it('catches what it is here to catch: an absolute URI under a uriBaseId is an error', () => {
    const log = JSON.parse(render('sarif', REPORT, { redactor: redactor(), toolVersion: '0.1.0', source: sourceMapOf(join(ROOT, 'Pulumi.prod.yaml'), ROOT) })) as Sarif.Log;
    const location = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!;
    location.uri = `file://${ROOT}/Pulumi.prod.yaml`;
    expect(validate('planted', JSON.stringify(log)).filter((f) => f.level === 'error')).toEqual([{ rule: 'SARIF1004', level: 'error', text: 'Error_UriBaseIdRequiresRelativeUri' }]);
  }, 120_000);
});
