import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../../report/formats/index.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, LEAKY, REPORT, redactor } from './fixture.js';

/** The Jenkins xUnit plugin's junit-10.xsd, vendored (see the note at its top). */
const XSD = resolve(import.meta.dirname, '../../fixtures/junit/junit-10.xsd');
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
const why = xmllint.error ? `xmllint is not installed (${xmllint.error.message}); apt-get install libxml2-utils` : undefined;

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(name: string, xml: string): { ok: boolean; output: string } {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.replaceAll(`${file}:`, '') };
}

describe.skipIf(why !== undefined)(`JUnit validated against junit-10.xsd by xmllint${why ? ` (skipped: ${why})` : ''}`, () => {
  it('a report with every status, an advisory, evidence and remediation is valid', () => {
    const report: Report = { ...REPORT, results: [...REPORT.results, ADVISORY_RESULT] };
    expect(validate('all', render('junit', report, { redactor: redactor(), title: 'prodcheck gate' }))).toEqual({ ok: true, output: `${join(dir, 'all.xml')} validates\n` });
  });

  it('so is one whose messages carry secrets, markup and control characters, and an empty one', () => {
    const nasty = 'a<b>&"c\'\tq\r\nz\u0000\u001b[31m]]>';
    const report: Report = { ...LEAKY, results: [...LEAKY.results, { ...REPORT.results[2]!, message: nasty, resource: nasty, expected: nasty }] };
    expect(validate('nasty', render('junit', report, { redactor: redactor() })).ok).toBe(true);
    const empty: Report = { ...REPORT, results: [], summary: { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 } };
    expect(validate('empty', render('junit', empty, { redactor: redactor() })).ok).toBe(true);
  });

  it('rejects what the schema forbids: a skipped count on testsuites', () => {
    const xml = render('junit', REPORT, { redactor: redactor() }).replace('<testsuites ', '<testsuites skipped="4" ');
    const result = validate('planted', xml);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed.");
  });
});
