import type { PostgresSpec, StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { Endpoint, IndexInfo, PgSnapshot, QualifiedName, RelationInfo } from './collect.js';
import { keyOf, parseQualified } from '../../spec/index.js';
import { hashedKey } from './collect.js';

/** How messages name a relation: "Chat" in public, "audit"."events" elsewhere. */
export function showName(q: QualifiedName): string {
  return q.schema === 'public' ? `"${q.name}"` : `"${q.schema}"."${q.name}"`;
}

function showColumns(columns: readonly (string | null)[]): string {
  return `(${columns.map((c) => (c === null ? 'expression' : `"${c}"`)).join(', ')})`;
}

function showList(names: readonly string[], max = 5): string {
  const quoted = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${quoted.join(', ')} and ${names.length - max} more` : quoted.join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function hostPort(e: Endpoint): string {
  return `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function couldNotRead(what: string, probe: { readonly error: string }, resource?: string): Finding {
  return { status: 'error', message: `Could not read ${what} (${probe.error}).`, ...(resource !== undefined ? { resource } : {}) };
}

function skip(message: string): Finding[] {
  return [{ status: 'skip', message }];
}

/** The spec's postgres section; the collector only runs when it exists, so its absence is a wiring bug. */
function pgSpecOf(spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new Error('the stack has no prodcheck:postgres section');
  return spec.postgres;
}

/** The relation a spec name refers to, or why not: missing, or present under another case or as a view. */
function lookupTable(relations: readonly RelationInfo[], q: QualifiedName): { found: RelationInfo } | { missing: string } {
  const exact = relations.find((r) => r.schema === q.schema && r.name === q.name);
  if (exact && (exact.kind === 'table' || exact.kind === 'partitioned table')) return { found: exact };
  if (exact) return { missing: `found a ${exact.kind}, not a table` };
  const near = relations.find((r) => r.schema === q.schema && r.name.toLowerCase() === q.name.toLowerCase());
  return { missing: near ? `found none; "${near.name}" differs only in case` : `found none in schema "${q.schema}"` };
}

export const pgConnectivity: Check<PgSnapshot> = {
  id: 'pg.connectivity',
  target: 'postgres',
  connectivity: true,
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const where = hostPort(s.endpoint);
    const findings: Finding[] = [];
    if (!s.tls.ok) {
      findings.push(couldNotRead('pg_stat_ssl for the verifier session', s.tls, where));
    } else if (pgSpec.tls) {
      const verification =
        s.certCheck === 'full'
          ? 'certificate and host name verified'
          : s.certCheck === 'chain'
            ? 'certificate chain verified, host name not checked'
            : `certificate not verified: sslmode=${s.sslmode} and no CA given`;
      findings.push(
        s.tls.value.inUse
          ? {
              status: 'pass',
              message: `Postgres at ${where} must be reached over TLS (found ${s.tls.value.version ?? 'TLS'}, ${verification}).`,
              expected: 'TLS',
              actual: `${s.tls.value.version ?? 'TLS'}, ${verification}`,
              resource: where,
            }
          : {
              status: 'fail',
              message: `Postgres at ${where} must be reached over TLS (found an unencrypted connection, sslmode=${s.sslmode}).`,
              expected: 'TLS',
              actual: `unencrypted, sslmode=${s.sslmode}`,
              resource: where,
            },
      );
    } else {
      const over = s.tls.value.inUse ? (s.tls.value.version ?? 'TLS') : 'an unencrypted connection';
      findings.push({
        status: 'pass',
        message: `Postgres at ${where} must be reachable (found PostgreSQL ${s.serverVersion} over ${over}; the spec does not require TLS).`,
        expected: 'reachable',
        actual: `PostgreSQL ${s.serverVersion}`,
        resource: where,
      });
    }
    if (!s.connections.ok) {
      findings.push(couldNotRead('the connection count from pg_stat_activity', s.connections, 'max_connections'));
    } else {
      const { used, max } = s.connections.value;
      const pct = max > 0 ? (used / max) * 100 : 100;
      const shown = `${Number(pct.toFixed(1))}%`;
      findings.push({
        status: pct < pgSpec.maxConnectionUsePct ? 'pass' : 'fail',
        message: `Postgres connections in use must stay below ${pgSpec.maxConnectionUsePct}% of max_connections (found ${used} of ${max}, ${shown}).`,
        expected: `< ${pgSpec.maxConnectionUsePct}% of max_connections`,
        actual: `${used} of ${max} (${shown})`,
        resource: 'max_connections',
      });
    }
    return findings;
  },
};

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
    const applied = new Set(state.applied);
    const missing = m.expected.filter((name) => !applied.has(name));
    const expectedSet = new Set(m.expected);
    const unexpected = m.expected.length > 0 ? [...applied].filter((name) => !expectedSet.has(name)) : [];
    const findings: Finding[] = [];
    if (missing.length > 0) {
      findings.push({
        status: 'fail',
        message: `Migrations table ${table} must list every expected migration (missing ${missing.length} of ${m.expected.length}: ${showList(missing)}).`,
        expected: `${m.expected.length} applied`,
        actual: `missing ${showList(missing)}`,
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

export const pgRls: Check<PgSnapshot> = {
  id: 'pg.rls',
  target: 'postgres',
  evaluate(s, spec) {
    const tables = pgSpecOf(spec).rls;
    if (tables.length === 0) return skip('No tables to check: postgres.rls is empty.');
    if (!s.relations.ok) return [couldNotRead('row level security flags from pg_class', s.relations)];
    const relations = s.relations.value;
    return tables.map((name) => {
      const q = parseQualified(name);
      const resource = keyOf(q);
      const label = `Table ${showName(q)} must have row level security enabled with at least one policy`;
      const hit = lookupTable(relations, q);
      if ('missing' in hit) return { status: 'fail', message: `${label} (found no such table).`, expected: 'RLS enabled, >= 1 policy', actual: 'no table', resource };
      const t = hit.found;
      const found = `RLS ${t.rls ? 'enabled' : 'disabled'}, ${t.policies === 0 ? 'no policies' : plural(t.policies, 'policy', 'policies')}`;
      return { status: t.rls && t.policies > 0 ? 'pass' : 'fail', message: `${label} (found ${found}).`, expected: 'RLS enabled, >= 1 policy', actual: found, resource };
    });
  },
};

export const pgGrantsLeastPrivilege: Check<PgSnapshot> = {
  id: 'pg.grants.least-privilege',
  target: 'postgres',
  evaluate(s, spec) {
    const role = pgSpecOf(spec).appRole;
    const expected = 'no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, owns no tables, no CREATE on schemas';
    const label = `Role "${role}" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas`;
    if (!s.appRole.ok) return [couldNotRead(`the attributes of role "${role}" from pg_roles`, s.appRole, role)];
    const r = s.appRole.value;
    if (r === null) return [{ status: 'fail', message: `${label} (found no such role).`, expected, actual: 'no role', resource: role }];
    const problems = [
      ...(r.superuser ? ['SUPERUSER'] : []),
      ...(r.createRole ? ['CREATEROLE'] : []),
      ...(r.createDb ? ['CREATEDB'] : []),
      ...(r.bypassRls ? ['BYPASSRLS'] : []),
      ...(r.privilegedMemberOf.length ? [`member of ${showList(r.privilegedMemberOf)}`] : []),
      ...(r.owns.length ? [`owns ${showList(r.owns.map((o) => o.replace(/^public\./, '')))}`] : []),
      ...(r.createOn.length ? [`CREATE on schema ${showList(r.createOn)}`] : []),
    ];
    const found = problems.length ? problems.join('; ') : 'none of these';
    return [{ status: problems.length ? 'fail' : 'pass', message: `${label} (found ${found}).`, expected, actual: found, resource: role }];
  },
};

export const pgGrantsAppendOnly: Check<PgSnapshot> = {
  id: 'pg.grants.append-only',
  target: 'postgres',
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const role = pgSpec.appRole;
    if (pgSpec.appendOnly.length === 0) return skip('No tables to check: postgres.appendOnly is empty.');
    if (!s.appendOnly.ok) return [couldNotRead(`the privileges of role "${role}"`, s.appendOnly)];
    if (!s.appRole.ok) return [couldNotRead(`the attributes of role "${role}" from pg_roles`, s.appRole)];
    const roleExists = s.appRole.value !== null;
    const privileges = s.appendOnly.value;
    return pgSpec.appendOnly.map((name) => {
      const q = parseQualified(name);
      const resource = keyOf(q);
      const label = `Role "${role}" must not UPDATE, DELETE or TRUNCATE ${showName(q)}`;
      const expected = 'SELECT, INSERT only';
      if (!roleExists) return { status: 'fail', message: `${label} (found no such role).`, expected, actual: 'no role', resource };
      const p = privileges.find((x) => x.schema === q.schema && x.table === q.name);
      if (!p) return { status: 'fail', message: `${label} (found no such table).`, expected, actual: 'no table', resource };
      const granted = [...(p.update ? ['UPDATE'] : []), ...(p.delete ? ['DELETE'] : []), ...(p.truncate ? ['TRUNCATE'] : [])];
      const found = granted.length ? granted.join(', ') : 'none of these';
      return { status: granted.length ? 'fail' : 'pass', message: `${label} (found ${found}).`, expected, actual: found, resource };
    });
  },
};

const POOLER_ENDPOINTS: Readonly<Record<'supabase' | 'neon' | 'rds-proxy', { readonly test: (e: Endpoint) => boolean; readonly shape: string; readonly name: string }>> = {
  supabase: { test: (e) => e.port === 6543 || /\.pooler\.supabase\.com$/i.test(e.host), shape: 'port 6543 or *.pooler.supabase.com', name: 'Supabase pooler' },
  neon: { test: (e) => /^[^.]+-pooler\./i.test(e.host), shape: 'a host whose first label ends in -pooler', name: 'Neon pooled' },
  'rds-proxy': { test: (e) => /\.proxy-[^.]+\.[^.]+\.rds\.amazonaws\.com$/i.test(e.host), shape: '*.proxy-*.<region>.rds.amazonaws.com', name: 'RDS Proxy' },
};

const POOLER_NAMES: Readonly<Record<PostgresSpec['pooling']['kind'], string>> = { pgbouncer: 'pgbouncer', supabase: 'Supabase', neon: 'Neon', 'rds-proxy': 'RDS Proxy' };

export const pgConnectionPooling: Check<PgSnapshot> = {
  id: 'pg.connection-pooling',
  target: 'postgres',
  evaluate(s, spec) {
    const pooling = pgSpecOf(spec).pooling;
    if (!pooling.enabled) return skip('Pooling is disabled in the spec (postgres.pooling.enabled: false).');
    const p = s.pooling;
    if (p.admin) {
      const where = hostPort(p.admin.endpoint);
      const database = (p.pooler ?? p.database).database;
      if (!p.admin.pools.ok) return [couldNotRead(`SHOW POOLS from the pooler admin console at ${where}`, p.admin.pools, where)];
      const pools = p.admin.pools.value.filter((x) => x.database === database);
      const label = `pgbouncer at ${where} must pool database "${database}"`;
      if (pools.length > 0) {
        const found = `found pools for ${plural(pools.length, 'user')}: ${showList(pools.map((x) => x.user))}`;
        return [{ status: 'pass', message: `${label} (${found}).`, expected: `pool for "${database}"`, actual: found, resource: where }];
      }
      const others = [...new Set(p.admin.pools.value.map((x) => x.database))];
      const found = others.length ? `found pools only for ${showList(others)}` : 'found no pools';
      return [{ status: 'fail', message: `${label} (${found}).`, expected: `pool for "${database}"`, actual: found, resource: where }];
    }
    const label = `The app must connect through a ${POOLER_NAMES[pooling.kind]} pooler`;
    const expected = `${POOLER_NAMES[pooling.kind]} pooler endpoint`;
    const known = pooling.kind === 'pgbouncer' ? undefined : POOLER_ENDPOINTS[pooling.kind];
    const db = hostPort(p.database);
    if (p.pooler) {
      const where = hostPort(p.pooler);
      const isDatabase = p.pooler.host === p.database.host && p.pooler.port === p.database.port;
      let ok: boolean;
      let found: string;
      if (known) {
        ok = known.test(p.pooler);
        found = ok ? `found poolerUrl ${where}, a ${known.name} endpoint` : `found poolerUrl ${where}, which is not a ${known.name} endpoint (${known.shape})`;
      } else {
        ok = !isDatabase;
        found = ok ? `found poolerUrl ${where}, apart from the database at ${db}` : `found poolerUrl ${where}, which is the database itself`;
      }
      return [{ status: ok ? 'pass' : 'fail', message: `${label} (${found}).`, expected, actual: found, resource: where }];
    }
    if (known?.test(p.database)) {
      const found = `found the database URL ${db} is a ${known.name} endpoint`;
      return [{ status: 'pass', message: `${label} (${found}).`, expected, actual: found, resource: db }];
    }
    const found = `found neither poolerUrl nor poolerAdminUrl in the targets, and the database URL ${db} is not a pooler endpoint`;
    return [{ status: 'fail', message: `${label} (${found}).`, expected, actual: found, resource: db }];
  },
};

export const pgQueryLatency: Check<PgSnapshot> = {
  id: 'pg.query-latency',
  target: 'postgres',
  evaluate(s, spec) {
    const budget = pgSpecOf(spec).queryLatencyMs;
    if (!s.statements.ok) return [couldNotRead('pg_stat_statements', s.statements)];
    const st = s.statements.value;
    if (!st.installed) {
      return skip('Query latency cannot be measured: pg_stat_statements is not installed (add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements).');
    }
    if (!st.roleExists) return skip(`Query latency cannot be measured: role "${st.role}" does not exist.`);
    if (st.statements.length === 0) return skip(`Query latency cannot be measured: pg_stat_statements holds no statements of role "${st.role}" in database "${st.database}" yet.`);
    const slow = st.statements.filter((x) => x.meanMs >= budget);
    if (slow.length === 0) {
      const slowest = Math.max(...st.statements.map((x) => x.meanMs));
      return [
        {
          status: 'pass',
          message: `The ${plural(st.statements.length, 'most called statement', 'most called statements')} of role "${st.role}" must average under ${budget} ms (found the slowest at ${formatMs(slowest)}).`,
          expected: `< ${budget} ms`,
          actual: formatMs(slowest),
          resource: st.role,
        },
      ];
    }
    return slow.map((x) => ({
      status: 'fail',
      message: `Statement ${x.queryid} of role "${st.role}" must average under ${budget} ms (found ${formatMs(x.meanMs)} over ${plural(x.calls, 'call')}${x.query !== null ? `: ${JSON.stringify(x.query)}` : ''}).`,
      expected: `< ${budget} ms`,
      actual: formatMs(x.meanMs),
      resource: `queryid ${x.queryid}`,
    }));
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

export const PG_CHECKS: readonly Check<PgSnapshot>[] = [
  pgConnectivity,
  pgMigrations,
  pgSchemaTables,
  pgSchemaFunctions,
  pgIndexes,
  pgRls,
  pgGrantsLeastPrivilege,
  pgGrantsAppendOnly,
  pgConnectionPooling,
  pgQueryLatency,
  pgDataCredentialsHashed,
];
