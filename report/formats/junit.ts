import type { Report, Result } from '../../report/types.js';
import { remediationOf } from '../remediation.js';
import { DEFAULT_TITLE, countStatuses, groupByFamily, isAdvisory, seconds, skipReason, waiverNote, type RenderOptions } from './results.js';

/** Characters XML 1.0 cannot carry at all, not even as a character reference (NUL, most C0 controls, lone surrogates, U+FFFE/F). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Shown as `\u001B` instead, so the document stays well-formed and the reader still sees something was there. */
function xmlChars(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

export function xmlText(s: string): string {
  // \r as a reference: a parser would otherwise normalise it to \n.
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function xmlAttr(s: string): string {
  // Tabs and line breaks as references: attribute-value normalisation would turn them into spaces.
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

/**
 * JUnit XML valid against the Jenkins xUnit plugin's junit-10.xsd (what Jenkins, GitLab and the GitHub
 * test-report actions read): one testsuite per family, one testcase per result, each with the check's own
 * time. Waived results are `skipped`, as they are neither passing nor failing; an advisory gate violation
 * passes with the violation in its system-out.
 */
export function renderJunit(report: Report, opts: RenderOptions): string {
  const all = report.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `${opts.title ?? DEFAULT_TITLE} (${report.stack})`,
      tests: report.results.length,
      failures: all.fail,
      errors: all.error,
      time: seconds(report.durationMs),
    })}>`,
  ];
  for (const { family, results } of groupByFamily(report.results)) {
    const s = countStatuses(results);
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    lines.push(
      `  <testsuite${attrs({
        name: `prodcheck.${family}`,
        tests: results.length,
        failures: s.fail,
        errors: s.error,
        skipped: s.skip + s.waived,
        time: seconds(time),
        timestamp: timestamp(report.startedAt),
      })}>`,
    );
    for (const r of results) lines.push(...testcase(r, family));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The JUnit schema's timestamp has no zone or fraction; startedAt is UTC, so dropping the `Z` loses nothing. */
function timestamp(iso: string): string {
  return iso.slice(0, 19);
}

function testcase(r: Result, family: string): string[] {
  const name = r.resource === undefined ? r.control : `${r.control} ${r.resource}`;
  const open = `    <testcase${attrs({ classname: `prodcheck.${family}`, name, time: seconds(r.durationMs) })}`;
  const body: string[] = [];
  const remediation = remediationOf(r.control);
  const detail = remediation === undefined ? r.message : `${r.message}\n\nHow to fix: ${remediation}`;
  if (r.status === 'fail') body.push(`      <failure${attrs({ message: r.message, type: r.severity })}>${xmlText(detail)}</failure>`);
  if (r.status === 'error') body.push(`      <error${attrs({ message: r.message, type: r.severity })}>${xmlText(r.message)}</error>`);
  if (r.status === 'skip') body.push(`      <skipped${attrs({ message: skipReason(r) })}/>`);
  if (r.status === 'waived') {
    const note = waiverNote(r);
    body.push(`      <skipped${attrs({ message: `waived: ${r.message}${note === undefined ? '' : ` (${note})`}` })}/>`);
  }
  const evidence = [isAdvisory(r) && r.message, r.expected !== undefined && `expected: ${r.expected}`, r.actual !== undefined && `actual: ${r.actual}`].filter(Boolean).join('\n');
  if (evidence) body.push(`      <system-out>${xmlText(evidence)}</system-out>`);
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}
