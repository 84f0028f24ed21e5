/** pg.query-latency against real servers: prodcheck's own statements are never judged; minimum calls; budgets. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPgState, runAppTraffic, type AppliedPgState } from '../../../sandbox/pg/state.js';
import type { PostgresSpec, StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgQueryLatency } from '../../../verify/pg/checks/index.js';
import { STATEMENT_MARKER } from '../../../verify/pg/session.js';
import type { PgSnapshot } from '../../../verify/pg/snapshot.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { collectPg, superuserClients } from '../../helpers/pg-clients.js';

function specWith(over: Partial<PostgresSpec> = {}): StackSpec {
  return stackSpecSchema.parse({
    app: { name: 'chat', domain: 'chat.example.com' },
    postgres: { tables: ['User', 'Chat'], appRole: 'app_lat', verifierRole: 'verifier_lat', tls: false, pooling: { enabled: false }, ...over },
  });
}

const collect = (spec: StackSpec, url: string): Promise<PgSnapshot> => collectPg(spec, { url, timeoutMs: 5_000 });

const latency = (s: PgSnapshot, spec: StackSpec): string[] => pgQueryLatency.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`);

describe.each(PG_SERVERS)('pg.query-latency on a real Postgres (%s)', (server) => {
  const postgres = usePostgres({ server, settings: { shared_preload_libraries: 'pg_stat_statements' } });
  const superuser = superuserClients(postgres);
  const spec = specWith();
  let admin: pg.Client;
  let state: AppliedPgState;
  let app: pg.Client;

  /** The app role's statements as pg_stat_statements files them, read by the superuser. */
  async function appStatements(): Promise<{ queryid: string; query: string }[]> {
    const { rows } = await admin.query<{ queryid: string; query: string }>(
      `SELECT queryid::text AS queryid, query FROM pg_stat_statements WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'app_lat') AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows;
  }

  beforeAll(async () => {
    admin = await superuser.connect();
    state = await applyPgState(admin, spec);
    await runAppTraffic({ connectionString: state.app.url, ssl: false }, spec);
    app = new pg.Client({ connectionString: state.app.url, ssl: false });
    app.on('error', () => undefined);
    await app.connect();
  });

  afterAll(async () => {
    await app?.end().catch(() => undefined);
    await superuser.endAll();
  });

  it("never judges prodcheck's own statements, even when the targets file logs it in as the app role", async () => {
    // The planted fault: a targets file with the app's URL, so prodcheck's catalogue queries are the app role's.
    await collect(spec, state.app.url);
    await collect(spec, state.app.url);
    const recorded = await appStatements();
    const own = recorded.filter((r) => r.query.includes(STATEMENT_MARKER));
    // pg_stat_statements did file them under the app role, marker included (so the filter has something to remove)...
    expect(own.length).toBeGreaterThan(10);
    expect(own.some((r) => r.query.includes('pg_stat_statements'))).toBe(true);
    // ...and the snapshot holds exactly the app's own statements, none of prodcheck's.
    const s = await collect(spec, state.app.url);
    if (!s.statements.ok || !s.statements.value.installed) throw new Error('pg_stat_statements should be readable');
    const theirs = new Set((await appStatements()).filter((r) => !r.query.includes(STATEMENT_MARKER)).map((r) => r.queryid));
    expect(new Set(s.statements.value.statements.map((x) => x.queryid))).toEqual(theirs);
    expect(latency(s, spec).map((l) => l.replace(/slowest at [\d.]+ ms/, 'slowest at T ms'))).toEqual([
      `pass: The ${theirs.size} most called statements of role "app_lat" must average under 100 ms (found the slowest at T ms).`,
    ]);
  });

  it('waits for queryLatencyMinCalls calls before judging a slow statement, then fails it unless its budget or an exclusion allows it', async () => {
    // The app's own slow statement, twice: too few calls for a mean.
    for (let i = 0; i < 2; i++) await app.query('SELECT pg_sleep($1), $2::text AS slow_report', [0.12, 'x']);
    const twice = await collect(spec, state.verifierUrl);
    expect(latency(twice, spec).map((l) => l.replace(/slowest at [\d.]+ ms/, 'slowest at T ms'))).toEqual([
      expect.stringMatching(/^pass: The \d+ most called statements of role "app_lat" must average under 100 ms \(found the slowest at T ms; 1 statement with fewer than 3 calls not judged\)\.$/),
    ]);
    await app.query('SELECT pg_sleep($1), $2::text AS slow_report', [0.12, 'x']);
    const thrice = await collect(spec, state.verifierUrl);
    expect(latency(thrice, spec)).toEqual([
      expect.stringMatching(/^fail: Statement -?\d+ of role "app_lat" must average under 100 ms \(found (1[2-9]\d|[2-9]\d\d|\d{4,}) ms over 3 calls: "SELECT pg_sleep\(\$1\), \$2::text AS slow_report"\)\.$/),
    ]);
    expect(latency(thrice, specWith({ queryBudgets: [{ match: 'slow_report', maxMs: 60_000 }] }))).toEqual([
      expect.stringMatching(/^pass: The \d+ most called statements of role "app_lat" must each average under its budget \(100 ms unless postgres.queryBudgets names it\) \(found the slowest at [\d.]+ ms\)\.$/),
    ]);
    expect(latency(thrice, specWith({ queryBudgets: [{ match: 'slow_report', maxMs: 110 }] }))).toEqual([
      expect.stringMatching(/^fail: Statement -?\d+ of role "app_lat" must average under 110 ms, its budget in postgres.queryBudgets \(found \d+ ms over 3 calls: "SELECT pg_sleep\(\$1\), \$2::text AS slow_report"\)\.$/),
    ]);
    expect(latency(thrice, specWith({ queryExclude: [{ match: 'pg_sleep' }] }))).toEqual([
      expect.stringMatching(/^pass: The \d+ most called statements of role "app_lat" must average under 100 ms \(found the slowest at [\d.]+ ms\)\.$/),
    ]);
  });
});
