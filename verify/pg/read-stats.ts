/** Statement statistics and hashed-column samples: what pg.query-latency and pg.hashed-columns judge. */
import type { QualifiedName } from '../../spec/index.js';
import { STATEMENT_MARKER, type Session } from './session.js';
import type { HashedSample, StatementsState } from './snapshot.js';

/** Hash formats as Postgres regular expressions (ARE); matching runs on the server so values never reach prodcheck. */
export const HASH_PATTERNS: Readonly<Record<'bcrypt' | 'argon2' | 'sha256', string>> = {
  bcrypt: '^\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
  argon2: '^\\$argon2(id|i|d)\\$(v=[0-9]+\\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+$',
  sha256: '^[0-9a-fA-F]{64}$',
};

export function hashPattern(format: 'bcrypt' | 'argon2' | 'sha256' | 'any'): string {
  return format === 'any' ? `(${Object.values(HASH_PATTERNS).join(')|(')})` : HASH_PATTERNS[format];
}

/** Rows of a table examined per hashed column: a bounded sample (first rows in physical order). */
export const HASH_SAMPLE_ROWS = 10_000;
/** Statements judged by pg.query-latency: the app role's most called ones (after postgres.queryExclude), as the catalogue says. */
export const TOP_STATEMENTS = 20;
/** Statements read, most called first: enough that exclusions still leave TOP_STATEMENTS to judge. */
export const STATEMENT_ROWS = 100;

const DML = /^\s*(select|insert|update|delete|with|merge|values|table)\b/i;

export async function readStatements(s: Session, role: string, versionNum: number): Promise<StatementsState> {
  const ext = await s.rows<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  const schema = ext[0]?.schema;
  if (schema === undefined) return { installed: false };
  const meanColumn = versionNum >= 130000 ? 'mean_exec_time' : 'mean_time';
  const who = await s.rows<{ exists: boolean; database: string }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists, current_database() AS database`,
    [role],
  );
  const rows = await s.rows<{ queryid: string | null; query: string | null; calls: string; mean: number }>(
    `SELECT s.queryid::text AS queryid, s.query, s.calls::text AS calls, s.${meanColumn}::float8 AS mean
       FROM ${s.ident(schema)}.pg_stat_statements s
      WHERE s.userid = (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND strpos(coalesce(s.query, ''), $2) = 0
      ORDER BY s.calls DESC, s.${meanColumn} DESC
      LIMIT ${STATEMENT_ROWS}`,
    [role, STATEMENT_MARKER],
  );
  return {
    installed: true,
    role,
    roleExists: who[0]?.exists ?? false,
    database: who[0]?.database ?? '',
    statements: rows.map((r) => {
      const text = r.query !== null && DML.test(r.query) ? r.query.replace(/\s+/g, ' ').trim() : null;
      return { queryid: r.queryid ?? 'unknown', query: text !== null ? shorten(text, 60) : null, text, calls: Number(r.calls), meanMs: r.mean };
    }),
  };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export async function readHashed(s: Session, table: QualifiedName, column: string, format: 'bcrypt' | 'argon2' | 'sha256' | 'any', bypassRls: boolean): Promise<HashedSample> {
  const meta = await s.rows<{ rls: boolean; type: string | null }>(
    `SELECT c.relrowsecurity AS rls,
            (SELECT format_type(a.atttypid, NULL) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped) AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [table.schema, table.name, column],
  );
  const m = meta[0];
  if (m === undefined) return { table: 'missing', column: 'missing', sampled: 0, notHashed: 0, rlsHidden: false };
  if (m.type === null) return { table: 'ok', column: 'missing', sampled: 0, notHashed: 0, rlsHidden: false };
  const value = m.type === 'bytea' ? `encode(${s.ident(column)}, 'hex')` : `${s.ident(column)}::text`;
  // Only the counts come back: the values are matched on the server and never cross the wire.
  const rows = await s.rows<{ rows: number; sampled: number; bad: number }>(
    `SELECT count(*)::int AS rows, count(v)::int AS sampled, (count(*) FILTER (WHERE v !~ $1))::int AS bad
       FROM (SELECT ${value} AS v FROM ${s.table(table)} LIMIT ${HASH_SAMPLE_ROWS}) AS sample`,
    [hashPattern(format)],
  );
  const r = rows[0] ?? { rows: 0, sampled: 0, bad: 0 };
  return { table: 'ok', column: 'ok', sampled: r.sampled, notHashed: r.bad, rlsHidden: r.rows === 0 && m.rls && !bypassRls };
}
