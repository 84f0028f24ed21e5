/** pg.migrations, pg.schema.tables, pg.schema.functions, pg.indexes. */
import { keyOf, parseQualified } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import type { IndexInfo, MigrationsState, PgSnapshot } from '../snapshot.js';
import { showName, showColumns, showList, plural, couldNotRead, skip, pgSpecOf, lookupTable } from './common.js';

const leadingNumber = (name: string): bigint | undefined => {
  const n = /^\d+/.exec(name)?.[0];
  return n === undefined ? undefined : BigInt(n);
};

/**
 * Applied names, including those a version pointer implies: golang-migrate's version N means every
 * migration numbered below N ran, and N itself unless the row is dirty; Alembic's head means the
 * expected chain up to it ran. `broken` are failed or dirty migrations the spec does not list.
 */
function appliedNames(state: MigrationsState, expected: readonly string[]): { applied: Set<string>; notApplied: MigrationsState['notApplied']; broken: { name: string; state: string }[] } {
  const expectedSet = new Set(expected);
  if (state.pointer === undefined) {
    return { applied: new Set(state.applied), notApplied: state.notApplied, broken: state.notApplied.filter((x) => x.state === 'failed' && !expectedSet.has(x.name)) };
  }
  const applied = new Set<string>();
  const notApplied: { name: string; state: string }[] = [];
  const broken: { name: string; state: string }[] = [];
  for (const p of state.pointer) {
    if (state.tool === 'golang-migrate') {
      const current = BigInt(p.version);
      const listed = expected.filter((name) => leadingNumber(name) === current);
      for (const name of expected) {
        const n = leadingNumber(name);
        if (n !== undefined && (n < current || (n === current && !p.dirty))) applied.add(name);
      }
      if (p.dirty) (listed.length > 0 ? notApplied : broken).push(...(listed.length > 0 ? listed : [p.version]).map((name) => ({ name, state: 'dirty' })));
      else if (listed.length === 0) applied.add(p.version);
    } else {
      const at = expected.indexOf(p.version);
      if (at < 0) applied.add(p.version);
      for (const name of expected.slice(0, at + 1)) applied.add(name);
    }
  }
  return { applied, notApplied, broken };
}

export const pgMigrations: Check<PgSnapshot> = {
  id: 'pg.migrations',
  target: 'postgres',
  evaluate(s, spec) {
    const m = pgSpecOf(spec).migrations;
    if (!m || !s.migrations) return skip('No migrations to check: the spec has no postgres.migrations section.');
    const table = showName(parseQualified(m.table));
    const resource = keyOf(parseQualified(m.table));
    if (!s.migrations.ok) return [couldNotRead(`the migrations table ${table}`, s.migrations, resource)];
    const state = s.migrations.value;
    if (!state.exists) {
      return [{ status: 'fail', message: `Migrations table ${table} must exist (found no such table).`, expected: 'table exists', actual: 'missing', resource }];
    }
    const { applied, notApplied, broken } = appliedNames(state, m.expected);
    const why = new Map(notApplied.map((x) => [x.name, x.state]));
    const showMissing = (names: readonly string[]): string => {
      const shown = names.slice(0, 5).map((n) => (why.has(n) ? `"${n}" (${why.get(n)})` : `"${n}"`));
      return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
    };
    const missing = m.expected.filter((name) => !applied.has(name));
    const expectedSet = new Set(m.expected);
    const unexpected = m.expected.length > 0 ? [...applied].filter((name) => !expectedSet.has(name)) : [];
    const findings: Finding[] = [];
    if (missing.length > 0) {
      findings.push({
        status: 'fail',
        message: `Migrations table ${table} must list every expected migration (missing ${missing.length} of ${m.expected.length}: ${showMissing(missing)}).`,
        expected: `${m.expected.length} applied`,
        actual: `missing ${showMissing(missing)}`,
        resource,
      });
    }
    if (unexpected.length > 0) {
      findings.push({
        status: 'fail',
        message: `Migrations table ${table} must list only expected migrations (found ${unexpected.length} not in postgres.migrations.expected: ${showList(unexpected)}).`,
        expected: 'only postgres.migrations.expected',
        actual: `also ${showList(unexpected)}`,
        resource,
      });
    }
    for (const b of broken) {
      findings.push({
        status: 'fail',
        message: `Migrations table ${table} must record no failed migration (found "${b.name}" ${b.state}${state.toolLabel ? ` in ${state.toolLabel}'s history` : ''}: repair it, then mark it resolved with the tool).`,
        expected: 'no failed migration',
        actual: `"${b.name}" ${b.state}`,
        resource,
      });
    }
    if (findings.length > 0) return findings;
    return [
      {
        status: 'pass',
        message: `Migrations table ${table} must list every expected migration (found all ${m.expected.length} applied).`,
        expected: `${m.expected.length} applied`,
        actual: `${state.applied.length} applied`,
        resource,
      },
    ];
  },
};

export const pgSchemaTables: Check<PgSnapshot> = {
  id: 'pg.schema.tables',
  target: 'postgres',
  evaluate(s, spec) {
    const tables = pgSpecOf(spec).tables;
    if (tables.length === 0) return skip('No tables to check: postgres.tables is empty.');
    if (!s.relations.ok) return [couldNotRead('the tables from pg_class', s.relations)];
    const relations = s.relations.value;
    return tables.map((name) => {
      const q = parseQualified(name);
      const hit = lookupTable(relations, q);
      const resource = keyOf(q);
      return 'found' in hit
        ? { status: 'pass', message: `Table ${showName(q)} must exist (found it).`, expected: 'exists', actual: 'exists', resource }
        : { status: 'fail', message: `Table ${showName(q)} must exist (${hit.missing}).`, expected: 'exists', actual: hit.missing, resource };
    });
  },
};

export const pgSchemaFunctions: Check<PgSnapshot> = {
  id: 'pg.schema.functions',
  target: 'postgres',
  evaluate(s, spec) {
    const functions = pgSpecOf(spec).functions;
    if (functions.length === 0) return skip('No functions to check: postgres.functions is empty.');
    if (!s.functions.ok) return [couldNotRead('the functions from pg_proc', s.functions)];
    const found = s.functions.value;
    return functions.map((name) => {
      const q = parseQualified(name);
      const resource = keyOf(q);
      const overloads = found[resource] ?? 0;
      return overloads > 0
        ? { status: 'pass', message: `Function ${showName(q)} must exist (found ${plural(overloads, 'definition')}).`, expected: 'exists', actual: plural(overloads, 'definition'), resource }
        : { status: 'fail', message: `Function ${showName(q)} must exist (found none in schema "${q.schema}").`, expected: 'exists', actual: 'missing', resource };
    });
  },
};

/** Indexes that can serve lookups: valid (not a failed CREATE INDEX CONCURRENTLY) and not partial. */
function usable(i: IndexInfo): boolean {
  return i.valid && !i.partial;
}

function describeIndex(i: IndexInfo): string {
  const flags = [...(i.valid ? [] : ['invalid']), ...(i.partial ? ['partial'] : [])];
  return `${showColumns(i.columns)}${flags.length ? ` (${flags.join(', ')})` : ''}`;
}

export const pgIndexes: Check<PgSnapshot> = {
  id: 'pg.indexes',
  target: 'postgres',
  evaluate(s, spec) {
    const expected = pgSpecOf(spec).indexes;
    if (!s.indexes.ok) return [couldNotRead('the indexes from pg_index', s.indexes)];
    if (!s.relations.ok) return [couldNotRead('the tables from pg_class', s.relations)];
    const { indexes, foreignKeys } = s.indexes.value;
    const relations = s.relations.value;
    const findings: Finding[] = expected.map((want) => {
      const q = parseQualified(want.table);
      const label = `Index on ${showName(q)}${showColumns(want.columns)}`;
      const resource = `${keyOf(q)}(${want.columns.join(',')})`;
      const hit = lookupTable(relations, q);
      if ('missing' in hit) return { status: 'fail', message: `${label} must exist (found no table ${showName(q)}).`, expected: 'index', actual: 'no table', resource };
      const onTable = indexes.filter((i) => i.schema === q.schema && i.table === q.name);
      const match = onTable.find((i) => usable(i) && want.columns.every((c, n) => i.columns[n] === c));
      if (match) return { status: 'pass', message: `${label} must exist (found "${match.name}").`, expected: 'index', actual: match.name, resource };
      const has = onTable.length > 0 ? `${showName(q)} has indexes on ${onTable.map(describeIndex).join(', ')}` : `${showName(q)} has no indexes`;
      return { status: 'fail', message: `${label} must exist (found none; ${has}).`, expected: 'index', actual: has, resource };
    });
    // A foreign key without an index on its columns makes every delete or key update on the parent scan the child.
    const uncovered = foreignKeys.filter((fk) => {
      const wanted = new Set(fk.columns);
      return !indexes.some(
        (i) =>
          i.schema === fk.schema && i.table === fk.table && usable(i) && i.columns.length >= fk.columns.length &&
          i.columns.slice(0, fk.columns.length).every((c) => c !== null && wanted.has(c)),
      );
    });
    for (const fk of uncovered) {
      const q = { schema: fk.schema, name: fk.table };
      findings.push({
        status: 'fail',
        message: `Foreign key "${fk.name}" on ${showName(q)}${showColumns(fk.columns)} must have an index whose leading columns cover it (found none).`,
        expected: 'covering index',
        actual: 'none',
        resource: `${keyOf(q)}.${fk.name}`,
      });
    }
    if (uncovered.length === 0) {
      const found = foreignKeys.length === 0 ? 'found no foreign keys' : `found all ${foreignKeys.length} covered`;
      findings.push({ status: 'pass', message: `Foreign keys must each have a covering index (${found}).`, expected: 'covering index', actual: found, resource: 'foreign keys' });
    }
    return findings;
  },
};
