import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillChecklist } from '../../checklist/fill.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import type { Row } from './fill-results.js';
import { reportJson } from './fill-results.js';

const checklist = (name: string) => readFileSync(new URL(`../../examples/checklists/${name}.md`, import.meta.url), 'utf8');
const fill = (md: string, rows: readonly Row[]) => {
  const parsed = readResultsReport(reportJson(rows));
  if (!parsed.ok) throw new Error('the test report does not parse');
  return fillChecklist(md, parsed.results, { sanitize: (s) => s });
};
/** The item lines of `md` that contain one of `texts`, as the fill left them. */
const itemsOf = (text: string, texts: readonly string[]) => text.split('\n').filter((l) => /^- \[[ x]\]/.test(l) && texts.some((t) => l.includes(t)));

// monitoring.slo as the default sandbox reports it: one result per SLO, with the objective as expected.
const SLOS: readonly Row[] = [
  ['monitoring.slo', 'pass', 'The Datadog SLO "chat uptime" targets 99.9 % over 30d and is met (SLI 100 %).', 'chat uptime', 'min:network.http.can_connect{url:https://chat.example.com/api/health} >= 1 in >= 99.9 % of 1-minute slices over 30d'],
  ['monitoring.slo', 'pass', 'The Datadog SLO "chat error rate" targets 99 % over 30d and is met (SLI 100 %).', 'chat error rate', '>= 99 % good events over 30d (at most 1 % bad)'],
  ['monitoring.slo', 'pass', 'The Datadog SLO "chat p95 latency" targets 99 % over 30d and is met (SLI 100 %).', 'chat p95 latency', 'p95:trace.http.request{service:chat,env:production} < 2 s in >= 99 % of 5-minute slices over 30d'],
  ['monitoring.slo', 'pass', 'The Datadog SLO "chat API success" targets 99 % over 30d and is met (SLI 100 %).', 'chat API success', '>= 99 % good events over 30d (at most 1 % bad)'],
];
const HEALTH = ['Uptime (target: 99.9%)', 'Error rate (target: < 1%)', 'Response time (target: < 2s p95)', 'API success rate (target: > 99%)'];

const series = (name: string, status: Row[1] = 'pass'): Row => ['monitoring.metrics', status, `The Datadog series "${name}" (q) ${status === 'pass' ? 'has 3 datapoints' : 'has no datapoint'} in the last 15 min.`, name];
const INFRA = ['Custom metrics are defined', 'Server metrics are monitored', 'Database performance is tracked', 'Redis metrics are monitored', 'API response times are tracked', 'Error rates are monitored', 'Metrics are being tracked'];

describe('filling the checklists from the Datadog family', () => {
  it('default: ticks the four application-health targets the SLOs state, and no other item', () => {
    const filled = fill(checklist('default'), SLOS);
    expect(itemsOf(filled.text, HEALTH)).toEqual(HEALTH.map((t) => `- [x] ${t} <!-- prodcheck -->`));
    expect(filled.items.filter((i) => i.outcome === 'passed').map((i) => i.text)).toEqual(HEALTH);
  });

  it('default: an objective the SLOs do not state stays a person\'s to tick', () => {
    const looser = SLOS.map((r): Row => (r[3] === 'chat p95 latency' ? [r[0], r[1], r[2], r[3], 'p95:trace.http.request{service:chat,env:production} < 3 s in >= 99 % of 5-minute slices over 30d'] : r));
    expect(itemsOf(fill(checklist('default'), looser).text, ['Response time (target'])).toEqual(['- [ ] Response time (target: < 2s p95) _(manual: prodcheck did not judge < 2s)_']);
  });

  it('phonepe: ticks the monitoring items when every named series flows', () => {
    const filled = fill(checklist('phonepe'), [series('db'), series('redis'), series('api latency'), series('error rate')]);
    expect(itemsOf(filled.text, INFRA)).toEqual(INFRA.map((t) => `- [x] ${t} <!-- prodcheck -->`));
    expect(filled.items.filter((i) => i.outcome === 'passed').map((i) => i.text)).toEqual(INFRA);
  });

  it('phonepe: an item about a kind of metric no series carries is not ticked, and a stopped series crosses out its items', () => {
    const filled = fill(checklist('phonepe'), [series('db'), series('api latency'), series('error rate', 'fail')]);
    expect(itemsOf(filled.text, ['Redis metrics', 'Database performance is tracked', 'Error rates are monitored'])).toEqual([
      '- [x] Database performance is tracked <!-- prodcheck -->',
      '- [ ] Redis metrics are monitored _(manual: prodcheck did not judge Redis metrics)_',
      '- [ ] Error rates are monitored — ❌ prodcheck: The Datadog series "error rate" (q) has no datapoint in the last 15 min.',
    ]);
  });
});
