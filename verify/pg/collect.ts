import type { PostgresSpec, StackSpec, Targets } from '../../spec/index.js';
import { parseQualified } from '../../spec/index.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { connectPg, PgConfigError, PgConnectError, pgConnection, type PgConnection } from './connection.js';
import { readPlaintextLogin, readTlsOffered } from './read-transport.js';
import { readAppendOnly, readRole } from './read-access.js';
import { readPolicies, readRlsBypass } from './read-rls.js';
import { collectPooling } from './read-pooling.js';
import { readMigrations } from './read-migrations.js';
import { readFunctions, readIndexes, readRelations, specRelations, specSchemas } from './read-schema.js';
import { readHashed, readStatements } from './read-stats.js';
import { marked, Session } from './session.js';
import { readRegistry } from '../litellm/registry.js';
import { hashedKey, type HashedSample, type PgSnapshot, type PgTarget } from './snapshot.js';

type DatabaseState = Omit<PgSnapshot, 'pooling' | 'transport'>;

async function collectDatabase(ctx: CollectContext, conn: PgConnection, target: PgTarget, pgSpec: PostgresSpec): Promise<DatabaseState> {
  const { client } = await connectPg(conn, ctx.signal);
  try {
    // REPEATABLE READ: every probe sees one snapshot. READ ONLY: the server refuses any write.
    await client.query(marked('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY'));
    // Set here rather than as startup parameters, which poolers such as pgbouncer reject.
    await client.query(marked(`SET LOCAL statement_timeout = ${Math.trunc(target.timeoutMs)}`));
    const who = (
      await client.query<{ user: string; version: string; num: number; bypass: boolean }>(
        marked(`SELECT current_user AS user, current_setting('server_version') AS version, current_setting('server_version_num')::int AS num,
                coalesce((SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user), false) AS bypass`),
      )
    ).rows[0];
    if (who === undefined) throw new Error('the server returned no row for current_user');
    const s = new Session(client, who.user);
    const schemas = specSchemas(pgSpec);
    const tls = await s.probe(undefined, async () => {
      const rows = await s.rows<{ ssl: boolean; version: string | null }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return { inUse: rows[0]?.ssl ?? false, version: rows[0]?.version ?? null };
    });
    const connections = await s.probe(undefined, async () => {
      const rows = await s.rows<{ used: number; max: number }>(
        `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used, current_setting('max_connections')::int AS max`,
      );
      return rows[0] ?? { used: 0, max: 0 };
    });
    const migrationsSpec = pgSpec.migrations;
    const migrations = migrationsSpec
      ? await s.probe(`grant SELECT on ${s.table(parseQualified(migrationsSpec.table))}`, () =>
          readMigrations(s, parseQualified(migrationsSpec.table), { ...(migrationsSpec.tool ? { tool: migrationsSpec.tool } : {}), ...(migrationsSpec.column ? { column: migrationsSpec.column } : {}) }),
        )
      : undefined;
    const relations = await s.probe(undefined, () => readRelations(s, specRelations(pgSpec)));
    const rlsTables = pgSpec.rls.map(parseQualified);
    const policies = await s.probe(undefined, () => readPolicies(s, pgSpec.appRole, rlsTables));
    const rlsBypass = await s.probe(undefined, () => readRlsBypass(s, pgSpec.appRole, rlsTables));
    const functions = await s.probe(undefined, () => readFunctions(s, pgSpec.functions.map(parseQualified)));
    const indexes = await s.probe(undefined, () => readIndexes(s, schemas));
    const appRole = await s.probe(undefined, () => readRole(s, pgSpec.appRole, schemas, [...new Set(pgSpec.appendOnly.map((t) => parseQualified(t).schema))]));
    const appendOnly = await s.probe(undefined, () => readAppendOnly(s, pgSpec.appRole, pgSpec.appendOnly.map(parseQualified)));
    const statements = await s.probe('grant pg_read_all_stats', () => readStatements(s, pgSpec.appRole, who.num));
    const hashed: Record<string, Probe<HashedSample>> = {};
    for (const h of pgSpec.hashedColumns) {
      const table = parseQualified(h.table);
      hashed[hashedKey(h.table, h.column)] = await s.probe(`grant SELECT on ${s.table(table)}`, () => readHashed(s, table, h.column, h.format, who.bypass));
    }
    // The app's LiteLLM servers table, read only for llm.litellm.registry (not with --skip of it).
    const litellm = ctx.runs?.('llm.litellm.registry') === false ? undefined : ctx.spec.litellm;
    const litellmRegistry = litellm ? await s.probe(`grant SELECT on ${litellm.registry.table}`, () => readRegistry(s, litellm, who.bypass)) : undefined;
    await client.query(marked('ROLLBACK'));
    return {
      endpoint: conn.endpoint,
      user: who.user,
      serverVersion: who.version,
      sslmode: conn.sslmode,
      certCheck: conn.certCheck,
      tls,
      connections,
      ...(migrations !== undefined ? { migrations } : {}),
      relations,
      policies,
      rlsBypass,
      functions,
      indexes,
      appRole,
      appendOnly,
      statements,
      hashed,
      ...(litellmRegistry ? { litellmRegistry } : {}),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function unreachedState(conn: PgConnection, why: string): DatabaseState {
  const none = { ok: false as const, error: `not read: ${why}` };
  return {
    endpoint: conn.endpoint,
    unreached: why,
    user: conn.user,
    serverVersion: 'unknown',
    sslmode: conn.sslmode,
    certCheck: conn.certCheck,
    tls: none,
    connections: none,
    relations: none,
    policies: none,
    rlsBypass: none,
    functions: none,
    indexes: none,
    appRole: none,
    appendOnly: none,
    statements: none,
    hashed: {},
  };
}

/** Gathers everything the pg.* checks judge, over one read-only connection as the verifier role. */
export const pgCollector: Collector<PgSnapshot> = {
  target: 'postgres',
  applies(spec: StackSpec, targets: Targets): string | undefined {
    if (!spec.postgres) return 'the stack has no prodcheck:postgres section';
    if (!targets.postgres) return 'no postgres target: add postgres.url to the targets file';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<PgSnapshot> {
    const target = ctx.targets.postgres;
    const pgSpec = ctx.spec.postgres;
    if (!target || !pgSpec) throw new PgConfigError(pgCollector.applies(ctx.spec, ctx.targets) ?? 'postgres is not configured');
    const conn = pgConnection(target.url, { caFile: target.caFile, timeoutMs: target.timeoutMs });
    const where = conn.endpoint;
    const [tlsOffered, plaintext] = await Promise.all([
      readTlsOffered(where, target.timeoutMs),
      pgSpec.tls ? readPlaintextLogin(where, pgSpec.appRole, where.database, target.timeoutMs) : undefined,
    ]);
    const transport = { tlsOffered, ...(plaintext !== undefined ? { plaintext } : {}) };
    const [database, pooling] = await Promise.all([
      collectDatabase(ctx, conn, target, pgSpec).catch((e: unknown) => {
        // A server without TLS is a finding of pg.connectivity, not an unreachable target.
        if (e instanceof PgConnectError && tlsOffered.ok && !tlsOffered.value) return unreachedState(conn, `the server offers no TLS and the verifier could not log in (${e.message})`);
        throw e;
      }),
      collectPooling(target, ctx.signal),
    ]);
    return { ...database, transport, pooling };
  },
};
