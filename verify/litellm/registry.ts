/**
 * llm.litellm.registry: the app's table of LiteLLM servers holds the proxy's URL. Read by the pg family,
 * in its READ ONLY transaction as the verifier role (one connection for every SQL read of a run).
 */
import { parseQualified, registryUrl, type LitellmSpec } from '../../spec/index.js';
import type { Check, Finding, Probe } from '../types.js';
import type { PgSnapshot } from '../pg/snapshot.js';
import type { Session } from '../pg/session.js';
import type { RegistryState } from './registry-state.js';

export type { RegistryState } from './registry-state.js';

const MAX_SHOWN = 5;

export async function readRegistry(s: Session, spec: LitellmSpec, verifierBypassesRls: boolean): Promise<RegistryState> {
  const q = parseQualified(spec.registry.table);
  const table = s.table(q);
  const shown = q.schema === 'public' ? q.name : `${q.schema}.${q.name}`;
  // RLS hides rows only when no permissive SELECT policy applies to the verifier (directly, through a role it is a member of, or PUBLIC).
  const rel = (
    await s.rows<{ rls: boolean; readable: boolean }>(
      `SELECT c.relrowsecurity AS rls,
              EXISTS (SELECT 1 FROM pg_policy p
                       WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('r', '*')
                         AND (0 = ANY (p.polroles) OR EXISTS (SELECT 1 FROM unnest(p.polroles) r WHERE r <> 0 AND pg_has_role(current_user, r, 'USAGE')))) AS readable
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [table],
    )
  )[0];
  if (!rel) return { table: shown, exists: false, columns: [], hiddenByRls: false, rows: 0, matching: 0, others: [] };
  const wanted = [spec.registry.column, ...(spec.registry.activeColumn ? [spec.registry.activeColumn] : [])];
  const columns = (await s.rows<{ name: string }>('SELECT attname::text AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attname = ANY($2)', [table, wanted])).map((r) => r.name);
  const base = { table: shown, exists: true, columns, hiddenByRls: rel.rls && !rel.readable && !verifierBypassesRls };
  if (!columns.includes(spec.registry.column)) return { ...base, rows: 0, matching: 0, others: [] };
  const col = s.ident(spec.registry.column);
  const url = registryUrl(spec.url).toLowerCase();
  const active = spec.registry.activeColumn && columns.includes(spec.registry.activeColumn) ? s.ident(spec.registry.activeColumn) : undefined;
  const match = `lower(rtrim(${col}::text, '/')) = $1`;
  const counts = (
    await s.rows<{ rows: number; matching: number; active: number | null }>(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE ${match})::int AS matching, ${active ? `count(*) FILTER (WHERE ${match} AND ${active} IS TRUE)::int` : 'NULL::int'} AS active FROM ${table}`,
      [url],
    )
  )[0] ?? { rows: 0, matching: 0, active: null };
  const others = (await s.rows<{ v: string }>(`SELECT DISTINCT left(${col}::text, 100) AS v FROM ${table} WHERE ${col} IS NOT NULL AND NOT (${match}) ORDER BY 1 LIMIT ${MAX_SHOWN}`, [url])).map((r) => r.v);
  return { ...base, rows: counts.rows, matching: counts.matching, ...(counts.active !== null ? { activeMatching: counts.active } : {}), others };
}

function judge(r: RegistryState, spec: LitellmSpec): Finding {
  const url = registryUrl(spec.url);
  const where = `${r.table}.${spec.registry.column}`;
  const expected = `a row with ${spec.registry.column} ${url}`;
  const resource = r.table;
  if (!r.exists) return { status: 'fail', resource, message: `The LiteLLM servers table ${r.table} must exist (found no such table): the app has no LiteLLM server to route to.`, expected, actual: 'no table' };
  if (!r.columns.includes(spec.registry.column)) {
    return { status: 'fail', resource, message: `The LiteLLM servers table ${r.table} has no column ${spec.registry.column} (set prodcheck:litellm.registry.column to the column holding the server URL).`, expected, actual: 'no such column' };
  }
  if (r.matching === 0) {
    if (r.rows === 0 && r.hiddenByRls) {
      return { status: 'error', resource, message: `Could not read ${r.table}: row level security hides every row from the verifier role; give it a SELECT policy on the table (or BYPASSRLS) to judge the registry.` };
    }
    const found = r.rows === 0 ? 'the table is empty' : `found ${r.rows} other row${r.rows === 1 ? '' : 's'}: ${r.others.join(', ')}`;
    return { status: 'fail', resource, message: `LiteLLM server ${url} must be registered in ${where} (${found}): the app does not route to it.`, expected, actual: r.rows === 0 ? 'empty' : r.others.join(', ') };
  }
  const activeColumn = spec.registry.activeColumn;
  if (activeColumn !== undefined) {
    if (!r.columns.includes(activeColumn)) {
      return { status: 'fail', resource, message: `The LiteLLM servers table ${r.table} has no column ${activeColumn} (prodcheck:litellm.registry.activeColumn).`, expected: `${expected}, ${activeColumn} true`, actual: 'no such column' };
    }
    if ((r.activeMatching ?? 0) === 0) {
      return { status: 'fail', resource, message: `LiteLLM server ${url} is registered in ${where} but ${activeColumn} is not true on any of its ${r.matching} row${r.matching === 1 ? '' : 's'}: the app skips it.`, expected: `${expected}, ${activeColumn} true`, actual: `${activeColumn} not true` };
    }
  }
  return { status: 'pass', resource, message: `LiteLLM server ${url} is registered in ${where} (${r.matching} row${r.matching === 1 ? '' : 's'}${activeColumn ? `, ${r.activeMatching} active` : ''}).`, expected, actual: `${r.matching} row${r.matching === 1 ? '' : 's'}` };
}

export const llmLitellmRegistry: Check<PgSnapshot> = {
  id: 'llm.litellm.registry',
  target: 'postgres',
  evaluate(s, spec) {
    const want = spec.litellm;
    if (!want) return [{ status: 'skip', message: 'The stack has no prodcheck:litellm section: no LiteLLM server to look for.' }];
    if (s.unreached !== undefined) return [{ status: 'skip', message: `skipped: postgres could not be read: ${s.unreached}.` }];
    if (s.litellmRegistry === undefined) return [{ status: 'error', message: 'The LiteLLM servers table was not read (the collector ran without prodcheck:litellm).' }];
    const read: Probe<RegistryState> = s.litellmRegistry;
    if (!read.ok) return [{ status: 'error', resource: want.registry.table, message: `Could not read the LiteLLM servers table ${want.registry.table} (${read.error}).` }];
    return [judge(read.value, want)];
  },
};
