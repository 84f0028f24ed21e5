/** pg.query-latency, pg.data.credentials-hashed. */
import { parseQualified } from '../../../spec/index.js';
import type { Check } from '../../types.js';
import type { PgSnapshot, StatementStat } from '../snapshot.js';
import { TOP_STATEMENTS } from '../read-stats.js';
import { hashedKey } from '../snapshot.js';
import { showName, plural, formatMs, couldNotRead, skip, pgSpecOf } from './common.js';

type StatementRef = { readonly queryid?: string | undefined; readonly match?: string | undefined };

function refers(ref: StatementRef, x: StatementStat): boolean {
  if (ref.queryid !== undefined) return ref.queryid === x.queryid;
  const text = x.text ?? null;
  return ref.match !== undefined && text !== null && new RegExp(ref.match, 'i').test(text);
}

export const pgQueryLatency: Check<PgSnapshot> = {
  id: 'pg.query-latency',
  target: 'postgres',
  evaluate(s, spec) {
    const p = pgSpecOf(spec);
    const budget = p.queryLatencyMs;
    const minCalls = p.queryLatencyMinCalls;
    if (!s.statements.ok) return [couldNotRead('pg_stat_statements', s.statements)];
    const st = s.statements.value;
    if (!st.installed) {
      return skip('Query latency cannot be measured: pg_stat_statements is not installed (add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements).');
    }
    if (!st.roleExists) return skip(`Query latency cannot be measured: role "${st.role}" does not exist.`);
    if (st.statements.length === 0) return skip(`Query latency cannot be measured: pg_stat_statements holds no statements of role "${st.role}" in database "${st.database}" yet.`);
    const kept = st.statements.filter((x) => !p.queryExclude.some((r) => refers(r, x)));
    if (kept.length === 0) return skip(`Query latency cannot be judged: postgres.queryExclude excludes every statement of role "${st.role}" (${plural(st.statements.length, 'statement')}).`);
    const top = kept.slice(0, TOP_STATEMENTS);
    const judged = top.filter((x) => x.calls >= minCalls);
    const few = top.length - judged.length;
    if (judged.length === 0) {
      return skip(`Query latency cannot be judged yet: none of the ${plural(top.length, 'most called statement', 'most called statements')} of role "${st.role}" has ${minCalls} calls (postgres.queryLatencyMinCalls), too few for a mean.`);
    }
    const budgetOf = (x: StatementStat): { ms: number; own: boolean } => {
      const own = p.queryBudgets.find((b) => refers(b, x));
      return own !== undefined ? { ms: own.maxMs, own: true } : { ms: budget, own: false };
    };
    const slow = judged.filter((x) => x.meanMs >= budgetOf(x).ms);
    if (slow.length === 0) {
      const slowest = Math.max(...judged.map((x) => x.meanMs));
      const notJudged = few > 0 ? `; ${plural(few, 'statement')} with fewer than ${minCalls} calls not judged` : '';
      const target = p.queryBudgets.length > 0 ? `each average under its budget (${budget} ms unless postgres.queryBudgets names it)` : `average under ${budget} ms`;
      return [
        {
          status: 'pass',
          message: `The ${plural(judged.length, 'most called statement', 'most called statements')} of role "${st.role}" must ${target} (found the slowest at ${formatMs(slowest)}${notJudged}).`,
          expected: `< ${budget} ms`,
          actual: formatMs(slowest),
          resource: st.role,
        },
      ];
    }
    return slow.map((x) => {
      const b = budgetOf(x);
      return {
        status: 'fail',
        message: `Statement ${x.queryid} of role "${st.role}" must average under ${b.ms} ms${b.own ? ', its budget in postgres.queryBudgets' : ''} (found ${formatMs(x.meanMs)} over ${plural(x.calls, 'call')}${x.query !== null ? `: ${JSON.stringify(x.query)}` : ''}).`,
        expected: `< ${b.ms} ms`,
        actual: formatMs(x.meanMs),
        resource: `queryid ${x.queryid}`,
      };
    });
  },
};

const FORMAT_NAMES: Readonly<Record<'bcrypt' | 'argon2' | 'sha256' | 'any', string>> = {
  bcrypt: 'bcrypt hashes',
  argon2: 'argon2 hashes',
  sha256: 'SHA-256 hex digests',
  any: 'password hashes (bcrypt, argon2 or SHA-256 hex)',
};

export const pgDataCredentialsHashed: Check<PgSnapshot> = {
  id: 'pg.data.credentials-hashed',
  target: 'postgres',
  evaluate(s, spec) {
    const columns = pgSpecOf(spec).hashedColumns;
    if (columns.length === 0) return skip('No columns to check: postgres.hashedColumns is empty.');
    return columns.map((h) => {
      const q = parseQualified(h.table);
      const column = `${showName(q)}."${h.column}"`;
      const resource = hashedKey(h.table, h.column);
      const sample = s.hashed[resource];
      const label = `Column ${column} must hold only ${FORMAT_NAMES[h.format]}`;
      const expected = FORMAT_NAMES[h.format];
      if (sample === undefined) return couldNotRead(`column ${column}`, { error: 'the collector did not sample it' }, resource);
      if (!sample.ok) return couldNotRead(`column ${column}`, sample, resource);
      const v = sample.value;
      if (v.table === 'missing') return { status: 'fail', message: `${label} (found no table ${showName(q)}).`, expected, actual: 'no table', resource };
      if (v.column === 'missing') return { status: 'fail', message: `${label} (found no such column).`, expected, actual: 'no column', resource };
      if (v.rlsHidden) {
        return {
          status: 'error',
          message: `Could not sample column ${column} (row level security hides every row from role "${s.user}": add a SELECT policy for it or grant it BYPASSRLS).`,
          resource,
        };
      }
      if (v.sampled === 0) return { status: 'pass', message: `${label} (found no values to sample).`, expected, actual: '0 values', resource };
      const found = v.notHashed === 0 ? `found all ${v.sampled} sampled values hashed` : `found ${v.notHashed} of ${v.sampled} sampled values not in that format`;
      return { status: v.notHashed === 0 ? 'pass' : 'fail', message: `${label} (${found}).`, expected, actual: found.replace(/^found /, ''), resource };
    });
  },
};
