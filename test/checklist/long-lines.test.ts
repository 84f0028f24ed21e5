import { describe, expect, it } from 'vitest';
import { fillChecklist } from '../../checklist/fill.js';
import type { ReportedResult } from '../../checklist/fill-report.js';
import { identities } from '../../checklist/identities.js';
import { ANNOTATION, scanChecklist, stripAnnotation } from '../../checklist/items.js';
import { linear, MAX_RULE_SPAN } from '../../checklist/linear.js';
import { controlsFor } from '../../checklist/mapping.js';

// Lines of hundreds of kilobytes, each built to make one of the old regexes scan from every position to the
// end of the line (they took from 20 s to hours). Each must be read correctly; bench/checklist.ts times them.
const KB = 1024;
const map = (text: string, headings: string[] = []) => controlsFor({ text, headings, parents: [] });
const PASSES: ReportedResult[] = [{ control: 'env.required-vars', status: 'pass', message: 'All 12 required variables are set in production.' }];

describe('checklist fill on very long lines', () => {
  it('maps an item whose rule words stand far apart only where they stand close, and stays linear', () => {
    const far = `backup ${'backup '.repeat((350 * KB) / 7)}retention`;
    expect(map(far)).toEqual(['pg.backups.retention']);
    expect(map(`backups ${'x'.repeat(MAX_RULE_SPAN + 1)} retention`)).toEqual([]);
    expect(map(`backups ${'x'.repeat(MAX_RULE_SPAN - 20)} retention`)).toEqual(['pg.backups.retention']);
    expect(map('secrets '.repeat((350 * KB) / 8))).toEqual([]);
  });

  it('bounds every .* and .+ of a rule, and nothing inside a character class or escaped', () => {
    expect(linear(/a.*b|c.+d|e\.*f|[.*]g|h.*?i/u)).toEqual(new RegExp(`a.{0,${MAX_RULE_SPAN}}b|c.{1,${MAX_RULE_SPAN}}d|e\\.*f|[.*]g|h.{0,${MAX_RULE_SPAN}}?i`, 'u'));
  });

  it('reads numbers, links, code names and env names out of 350 KB of each', () => {
    expect(identities(`at most ${'1'.repeat(350 * KB)}`)).toHaveLength(1);
    expect(identities(`${'1'.repeat(350 * KB)} ms`)).toEqual([{ kind: 'threshold', text: `${'1'.repeat(350 * KB)} ms`, key: `time:${Number('1'.repeat(350 * KB))}` }]);
    expect(identities('[a]('.repeat((350 * KB) / 4))).toEqual([]);
    expect(identities('[['.repeat((350 * KB) / 2))).toEqual([]);
    expect(identities('`a'.repeat((350 * KB) / 2))).toEqual([{ kind: 'name', text: 'a', key: 'a' }]);
    expect(identities(Array.from({ length: 20_000 }, (_, i) => `VAR_${i}`).join(' '))).toHaveLength(20_000);
  });

  it('leaves an item that names more than 100 things to a person', () => {
    const names = Array.from({ length: 30_000 }, (_, i) => `VAR_${i}`).join(' ');
    const filled = fillChecklist(`- [ ] Environment variables set: ${names}\n`, PASSES, { sanitize: (s) => s });
    expect(filled.items.map((i) => i.outcome)).toEqual(['manual']);
    expect(filled.text.endsWith(' _(manual: the item names 30000 things; prodcheck judges items that name at most 100)_\n')).toBe(true);
  });

  it('strips an earlier annotation from a 350 KB line exactly as ANNOTATION does', () => {
    const body = `Set it${' _(manual: x'.repeat((350 * KB) / 12)} — done`;
    expect(stripAnnotation(body)).toBe(body);
    expect(stripAnnotation(`${body} _(manual: y)_`)).toBe('Set it');
    for (const s of ['a _(manual)_', 'a _(manual: b)_', 'a — ❌ prodcheck: no', 'a — ⚠️ prodcheck could not', 'a <!-- prodcheck -->', 'a _(manual', 'a — ❌ prodchecks', 'a b _(manual: c)_ d)_']) {
      expect(stripAnnotation(s), s).toBe(s.replace(ANNOTATION, ''));
    }
  });

  it('fills a 3.5 MB document of long hostile lines, keeping every byte outside the item boxes', () => {
    const lines = [
      `- [ ] environment variables set ${'1'.repeat(512 * KB)} ms`,
      `- [ ] ${'[a]('.repeat((512 * KB) / 4)}`,
      `- [ ] Set it${' _(manual: x'.repeat((512 * KB) / 12)}`,
      `- [ ] backup ${'backup '.repeat((512 * KB) / 7)}retention`,
      `# ${' '.repeat(512 * KB)}x`,
      `- [ ] ${'www '.repeat((512 * KB) / 4)}`,
      `- [ ] ${'secrets '.repeat((512 * KB) / 8)}`,
    ];
    const md = `${lines.join('\n')}\n`;
    expect(md.length).toBeGreaterThan(3 * 1024 * KB);
    expect(scanChecklist(md).items).toHaveLength(6);
    const filled = fillChecklist(md, PASSES, { sanitize: (s) => s });
    expect(filled.items.map((i) => i.controls)).toEqual([['env.required-vars'], [], [], ['pg.backups.retention'], [], []]);
    expect(filled.text.split('\n')[4]).toBe(lines[4]);
  }, 120_000);
});
