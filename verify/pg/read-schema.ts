/** Relations, functions and indexes: what pg.schema.*, pg.indexes and pg.rls judge. */
import type { QualifiedName } from '../../spec/index.js';
import type { PostgresSpec } from '../../spec/index.js';
import { keyOf, parseQualified } from '../../spec/index.js';
import type { Session } from './session.js';
import type { ForeignKeyInfo, IndexInfo, RelationInfo } from './snapshot.js';

const RELKINDS: Readonly<Record<string, RelationInfo['kind']>> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };

/** The schemas the spec's relations live in, and public. */
export function specSchemas(pgSpec: PostgresSpec): string[] {
  const names = [...pgSpec.tables, ...pgSpec.rls, ...pgSpec.appendOnly, ...pgSpec.indexes.map((i) => i.table), ...pgSpec.hashedColumns.map((h) => h.table)];
  return [...new Set(['public', ...names.map((n) => parseQualified(n).schema)])].sort();
}

export function specRelations(pgSpec: PostgresSpec): QualifiedName[] {
  const names = [...pgSpec.tables, ...pgSpec.rls, ...pgSpec.appendOnly, ...pgSpec.indexes.map((i) => i.table), ...pgSpec.hashedColumns.map((h) => h.table)];
  return [...new Set(names.map((n) => keyOf(parseQualified(n))))].map((k) => parseQualified(k));
}

export async function readRelations(s: Session, wanted: readonly QualifiedName[]): Promise<RelationInfo[]> {
  const rows = await s.rows<{ schema: string; name: string; relkind: string; rls: boolean; force: boolean; policies: number; owner: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
            pg_get_userbyid(c.relowner)::text AS owner,
            (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int AS policies
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON n.nspname = w.schema AND lower(c.relname) = lower(w.name)
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY 1, 2`,
    [wanted.map((w) => w.schema), wanted.map((w) => w.name)],
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, kind: RELKINDS[r.relkind] ?? 'table', rls: r.rls, forceRls: r.force, policies: r.policies, owner: r.owner }));
}

export async function readFunctions(s: Session, wanted: readonly QualifiedName[]): Promise<Record<string, number>> {
  const rows = await s.rows<{ schema: string; name: string; overloads: number }>(
    `SELECT n.nspname AS schema, p.proname AS name, count(*)::int AS overloads
       FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON n.nspname = w.schema AND p.proname = w.name
      GROUP BY 1, 2`,
    [wanted.map((w) => w.schema), wanted.map((w) => w.name)],
  );
  return Object.fromEntries(rows.map((r) => [keyOf(r), r.overloads]));
}

export async function readIndexes(s: Session, schemas: readonly string[]): Promise<{ indexes: IndexInfo[]; foreignKeys: ForeignKeyInfo[] }> {
  const indexes = await s.rows<IndexInfo>(
    `SELECT n.nspname AS schema, t.relname AS "table", ic.relname AS name, i.indisvalid AS valid, i.indpred IS NOT NULL AS partial,
            array(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                   WHERE k.ord <= i.indnkeyatts
                   ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ANY($1) AND t.relkind IN ('r', 'p')
      ORDER BY 1, 2, 3`,
    [schemas],
  );
  const foreignKeys = await s.rows<ForeignKeyInfo>(
    `SELECT n.nspname AS schema, t.relname AS "table", c.conname AS name,
            array(SELECT a.attname::text
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS columns
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = ANY($1) AND t.relkind IN ('r', 'p')
      ORDER BY 1, 2, 3`,
    [schemas],
  );
  return { indexes, foreignKeys };
}
