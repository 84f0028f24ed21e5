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

describe('alerting items are ticked only by the rules for the condition they name', () => {
  const rule = (condition: string, status: 'pass' | 'fail', message: string): Row => ['monitoring.alerts', status, message, condition];
  const md = ['## Alert Thresholds', '- [ ] Error rate spikes', '- [ ] High response times', '- [ ] Database unreachable', '- [ ] New errors in production', '', '## Ops', '- [ ] Alerts are configured correctly'].join('\n');

  it('ticks an item by its own condition, leaves a condition prodcheck does not watch to a person, and a whole-of-alerting item to all rules', () => {
    const out = fillWith(md, [
      rule('error-rate', 'pass', 'Sentry alerts when the error rate rises: metric alert "Errors" notifies 1 action.'),
      rule('latency', 'fail', 'No Sentry alert rule of org/app fires when responses get slow (latency).'),
      rule('new-issue', 'pass', 'Sentry alerts when a new issue is first seen: issue alert "New" notifies 1 action.'),
    ]);
    expect(out).toEqual([
      '## Alert Thresholds',
      '- [x] Error rate spikes <!-- prodcheck -->',
      '- [ ] High response times — ❌ prodcheck: No Sentry alert rule of org/app fires when responses get slow (latency).',
      '- [ ] Database unreachable _(manual: prodcheck did not judge this alert condition)_',
      '- [x] New errors in production <!-- prodcheck -->',
      '',
      '## Ops',
      '- [ ] Alerts are configured correctly — ❌ prodcheck: No Sentry alert rule of org/app fires when responses get slow (latency).',
    ]);
  });
});

describe('an outage alert item is judged by the uptime check, at the interval it names', () => {
  const md = ['## Alert Thresholds', '- [ ] Site down (> 5 minute outage)'].join('\n');
  const uptime = (every: number): Row => ['monitoring.uptime', 'pass', `The Checkly check "health" calls https://app.example/api/health every ${every} min from 2 locations, alerts 1 channel, and its latest run (within the last 15 min) passed.`, 'chk_1', `a passing check of https://app.example/api/health at most ${every} minutes apart that alerts a channel`];

  it('ticks it when the check runs at most 5 minutes apart, not when the stack allowed 10', () => {
    expect(fillWith(md, [uptime(5)])[1]).toBe('- [x] Site down (> 5 minute outage) <!-- prodcheck -->');
    expect(fillWith(md, [uptime(10)])[1]).toBe('- [ ] Site down (> 5 minute outage) _(manual: prodcheck did not judge > 5 minute)_');
  });
});
