import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlAttr, xmlText } from '../../../report/formats/junit.js';
import type { Report } from '../../../report/types.js';
import { remediationOf } from '../../../report/remediation.js';
import { ADVISORY_RESULT, REPORT, redactor } from './fixture.js';

type Attrs = Record<string, string>;
type Testcase = Record<string, unknown>;
interface Parsed {
  testsuites: Attrs & { testsuite: (Attrs & { testcase: Testcase[] })[] };
}

function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return parser.parse(xml) as Parsed;
}

const opts = { redactor: redactor() };

describe('junit reporter', () => {
  it('parses, with one testsuite per family and the counts of each', () => {
    const doc = parse(renderJunit(REPORT, opts));
    const all = doc.testsuites;
    // junit-10.xsd allows no skipped or timestamp on testsuites: those stay on each testsuite.
    expect([all.name, all.tests, all.failures, all.errors, all.skipped, all.time, all.timestamp]).toEqual(['prodcheck verify (prod)', '11', '4', '1', undefined, '5.210', undefined]);
    // A suite's time is the sum of its testcases' own times.
    expect(all.testsuite.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped, s.time, s.timestamp])).toEqual([
      ['prodcheck.pg', '4', '1', '0', '1', '0.162', '2026-01-05T10:00:00'],
      ['prodcheck.redis', '3', '1', '0', '2', '0.015', '2026-01-05T10:00:00'],
      ['prodcheck.stripe', '2', '0', '1', '1', '10.006', '2026-01-05T10:00:00'],
      ['prodcheck.http', '2', '2', '0', '0', '0.240', '2026-01-05T10:00:00'],
    ]);
    const cases = all.testsuite.flatMap((s) => s.testcase);
    expect(cases.map((c) => `${String(c.classname)} ${String(c.name)}`)).toEqual([
      'prodcheck.pg pg.connectivity',
      'prodcheck.pg pg.rls public.users',
      'prodcheck.pg pg.rls public.orders',
      'prodcheck.pg pg.backups.retention',
      'prodcheck.redis redis.eviction-policy',
      'prodcheck.redis redis.latency',
      'prodcheck.redis redis.ttl',
      'prodcheck.stripe stripe.webhook.endpoint',
      'prodcheck.stripe stripe.tax-rates',
      'prodcheck.http http.security-headers',
      'prodcheck.http http.compression',
    ]);
    expect(cases.filter((c) => 'failure' in c)).toHaveLength(4);
    expect(cases.filter((c) => 'error' in c)).toHaveLength(1);
    expect(cases.filter((c) => 'skipped' in c)).toHaveLength(4);
    expect(cases[3]?.skipped).toEqual({ message: 'waived: Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)' });
    expect(cases[8]?.skipped).toEqual({ message: 'stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.' });
    expect(cases[7]?.error).toEqual({ '#text': 'stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.', message: 'stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.', type: 'critical' });
  });

  it('writes a failing testcase with its severity as type, how to fix it, and expected/actual in system-out', () => {
    expect(renderJunit(REPORT, opts)).toContain(
      [
        '    <testcase classname="prodcheck.pg" name="pg.rls public.orders" time="0.042">',
        `      <failure message="RLS must be enabled on public.orders (found disabled)." type="high">RLS must be enabled on public.orders (found disabled).\n\nHow to fix: ${xmlText(remediationOf('pg.rls') ?? '')}</failure>`,
        '      <system-out>expected: enabled',
        'actual: disabled</system-out>',
        '    </testcase>',
        '    <testcase classname="prodcheck.pg" name="pg.backups.retention" time="0.038">',
      ].join('\n'),
    );
  });

  it('says a waived result is waived even when the message does not name the waiver', () => {
    const waived = { ...REPORT.results[3]!, message: 'Backup retention must be at least 30 days (found 7).' };
    const doc = parse(renderJunit({ ...REPORT, results: [waived] }, opts));
    expect(doc.testsuites.testsuite[0]?.testcase[0]?.skipped).toEqual({
      message: 'waived: Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)',
    });
  });

  it('escapes markup, quotes and line breaks exactly and replaces characters XML 1.0 cannot hold', () => {
    const nasty = 'a<b>&"c\'\tq\r\nz\u0000\u001b[31m\uD800]]>';
    const report: Report = { ...REPORT, results: [{ ...REPORT.results[2]!, message: nasty, resource: nasty, expected: nasty, actual: '</system-out>' }] };
    const xml = renderJunit(report, opts);
    expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
    const shown = 'a<b>&"c\'\tq\r\nz\\u0000\\u001B[31m\\uD800]]>';
    const tc = parse(xml).testsuites.testsuite[0]?.testcase[0] as unknown as { name: string; failure: Attrs; 'system-out': string };
    expect(tc.name).toBe(`pg.rls ${shown}`);
    expect(tc.failure.message).toBe(shown);
    expect(tc.failure['#text']).toBe(`${shown}\n\nHow to fix: ${remediationOf('pg.rls') ?? ''}`);
    expect(tc['system-out']).toBe(`expected: ${shown}\nactual: </system-out>`);
  });

  it('passes an advisory gate violation with the violation in its system-out', () => {
    const doc = parse(renderJunit({ ...REPORT, results: [ADVISORY_RESULT] }, opts));
    const tc = doc.testsuites.testsuite[0]?.testcase[0];
    expect(tc).toMatchObject({ classname: 'prodcheck.redis', name: 'redis.tls chat-cache', time: '0.002', 'system-out': ADVISORY_RESULT.message });
  });

  it('has escape helpers that leave plain text alone', () => {
    expect(xmlText('plain text 1.2')).toBe('plain text 1.2');
    expect(xmlText('<&>\r')).toBe('&lt;&amp;&gt;&#13;');
    expect(xmlAttr('"\t\n\r\'')).toBe('&quot;&#9;&#10;&#13;\'');
  });
});
