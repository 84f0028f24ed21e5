/** pg.query-latency on snapshots: per-statement budgets, exclusions and the minimum number of calls. */
import { describe, expect, it } from 'vitest';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgQueryLatency } from '../../../verify/pg/checks/index.js';
import type { PgSnapshot, StatementStat } from '../../../verify/pg/snapshot.js';
import { run, snap, spec, withPg } from './fixture.js';

const stat = (queryid: string, text: string | null, calls: number, meanMs: number): StatementStat => ({ queryid, query: text, text, calls, meanMs });

function statements(...list: StatementStat[]): PgSnapshot {
  return snap({ statements: { ok: true, value: { installed: true, role: 'app', roleExists: true, database: 'app', statements: list } } });
}

const report = stat('201', 'SELECT * FROM "report" WHERE "month" = $1', 40, 850);
const lookup = stat('202', 'SELECT * FROM "Chat" WHERE "id" = $1', 900, 0.4);
const utility = stat('-5', null, 300, 2);

describe('pg.query-latency budgets, exclusions and minimum calls', () => {
  it('fails a slow statement against the default budget (the fault the spec fields address)', () => {
    expect(run(pgQueryLatency, statements(lookup, report, utility))).toEqual([
      ['fail', 'Statement 201 of role "app" must average under 100 ms (found 850 ms over 40 calls: "SELECT * FROM \\"report\\" WHERE \\"month\\" = $1").'],
    ]);
  });

  it('judges a statement against its own budget from postgres.queryBudgets, by text pattern or queryid', () => {
    const roomy = withPg({ queryBudgets: [{ match: 'from "report"', maxMs: 1000 }] });
    expect(run(pgQueryLatency, statements(lookup, report, utility), roomy)).toEqual([
      ['pass', 'The 3 most called statements of role "app" must each average under its budget (100 ms unless postgres.queryBudgets names it) (found the slowest at 850 ms).'],
    ]);
    const tight = withPg({ queryBudgets: [{ queryid: '202', maxMs: 0.1 }] });
    expect(run(pgQueryLatency, statements(lookup, report, utility), tight)).toEqual([
      ['fail', 'Statement 202 of role "app" must average under 0.1 ms, its budget in postgres.queryBudgets (found 0.40 ms over 900 calls: "SELECT * FROM \\"Chat\\" WHERE \\"id\\" = $1").'],
      ['fail', 'Statement 201 of role "app" must average under 100 ms (found 850 ms over 40 calls: "SELECT * FROM \\"report\\" WHERE \\"month\\" = $1").'],
    ]);
    // A pattern never matches a utility statement, whose text is not read: only its queryid can name it.
    const slowUtility = stat('-5', null, 300, 400);
    expect(run(pgQueryLatency, statements(slowUtility), withPg({ queryBudgets: [{ match: '.*', maxMs: 1000 }] }))).toEqual([
      ['fail', 'Statement -5 of role "app" must average under 100 ms (found 400 ms over 300 calls).'],
    ]);
  });

  it('leaves out the statements postgres.queryExclude names, and skips when nothing is left', () => {
    expect(run(pgQueryLatency, statements(lookup, report, utility), withPg({ queryExclude: [{ match: '"report"' }] }))).toEqual([
      ['pass', 'The 2 most called statements of role "app" must average under 100 ms (found the slowest at 2.0 ms).'],
    ]);
    expect(run(pgQueryLatency, statements(report), withPg({ queryExclude: [{ queryid: '201' }] }))).toEqual([
      ['skip', 'Query latency cannot be judged: postgres.queryExclude excludes every statement of role "app" (1 statement).'],
    ]);
  });

  it('judges a mean only after queryLatencyMinCalls calls, and says how many it left out', () => {
    const rare = stat('203', 'SELECT pg_sleep($1)', 2, 450);
    expect(run(pgQueryLatency, statements(lookup, rare))).toEqual([
      ['pass', 'The 1 most called statement of role "app" must average under 100 ms (found the slowest at 0.40 ms; 1 statement with fewer than 3 calls not judged).'],
    ]);
    expect(run(pgQueryLatency, statements(rare))).toEqual([
      ['skip', 'Query latency cannot be judged yet: none of the 1 most called statement of role "app" has 3 calls (postgres.queryLatencyMinCalls), too few for a mean.'],
    ]);
    expect(run(pgQueryLatency, statements(rare), withPg({ queryLatencyMinCalls: 2 }))).toEqual([
      ['fail', 'Statement 203 of role "app" must average under 100 ms (found 450 ms over 2 calls: "SELECT pg_sleep($1)").'],
    ]);
  });

  it('rejects a statement reference with neither or both of queryid and match, or a bad pattern', () => {
    const parse = (postgres: object) => stackSpecSchema.safeParse({ app: spec.app, postgres });
    const messages = (postgres: object) => {
      const r = parse(postgres);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(messages({ queryExclude: [{}] })).toEqual(['postgres.queryExclude.0: needs exactly one of queryid and match']);
    expect(messages({ queryBudgets: [{ queryid: '1', match: 'x', maxMs: 5 }] })).toEqual(['postgres.queryBudgets.0: needs exactly one of queryid and match']);
    expect(messages({ queryExclude: [{ match: '(' }] })).toEqual(['postgres.queryExclude.0.match: is not a valid regular expression (Invalid regular expression: /(/i: Unterminated group)']);
    expect(messages({ queryExclude: [{ queryid: 'abc' }] })).toEqual(['postgres.queryExclude.0.queryid: must be a pg_stat_statements queryid (an integer)']);
    expect(messages({ queryBudgets: [{ queryid: '7', maxMs: 5 }], queryExclude: [{ match: 'report' }], queryLatencyMinCalls: 10 })).toEqual([]);
  });
});
