import { describe, expect, it } from 'vitest';
import { fillChecklist } from '../../checklist/fill.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import { Redactor } from '../../report/redact.js';
import { mdText } from '../../report/formats/md.js';
import type { Row } from './fill-results.js';
import { reportJson } from './fill-results.js';

const fillWith = (md: string, rows: readonly Row[]) => {
  const parsed = readResultsReport(reportJson(rows));
  if (!parsed.ok) throw new Error('the test report does not parse');
  const redactor = new Redactor();
  return fillChecklist(md, parsed.results, { sanitize: (s) => mdText(redactor.redact(s)) }).text.split('\n');
};

const ITEMS = ['- [ ] All tests passing', '- [ ] No TypeScript errors', '- [ ] Linting passed', '- [ ] Build succeeds'].join('\n');
const ok = (name: string): Row => ['ci.checks-passing', 'pass', `The required check run "${name}" succeeded on the live commit abc1234.`, name];

describe('CI items are ticked only by the checks that run their gate', () => {
  it('ticks each item when its own check passed', () => {
    expect(fillWith(ITEMS, [ok('test'), ok('typecheck'), ok('lint'), ok('build')])).toEqual([
      '- [x] All tests passing <!-- prodcheck -->',
      '- [x] No TypeScript errors <!-- prodcheck -->',
      '- [x] Linting passed <!-- prodcheck -->',
      '- [x] Build succeeds <!-- prodcheck -->',
    ]);
  });

  it('a green lint does not tick "All tests passing", and a red test crosses out only the tests item', () => {
    const out = fillWith(ITEMS, [['ci.checks-passing', 'fail', 'The required check run "e2e tests" concluded "failure" on the live commit abc1234, not "success".', 'e2e tests'], ok('lint')]);
    expect(out).toEqual([
      '- [ ] All tests passing — ❌ prodcheck: The required check run "e2e tests" concluded "failure" on the live commit abc1234, not "success".',
      '- [ ] No TypeScript errors _(manual: prodcheck did not judge type checking)_',
      '- [x] Linting passed <!-- prodcheck -->',
      '- [ ] Build succeeds _(manual: prodcheck did not judge the build)_',
    ]);
  });
});
