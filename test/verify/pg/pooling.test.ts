/** pg.connection-pooling against a real pgbouncer (/usr/sbin/pgbouncer): what each pool leads to, not only its name. */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgbouncer, type PgbouncerInstance, type PgbouncerOptions } from '../../../sandbox/pg/pgbouncer.js';
import { applyPgState, runAppTraffic, type AppliedPgState } from '../../../sandbox/pg/state.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgConnectionPooling } from '../../../verify/pg/checks/index.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { collectPg, superuserClients } from '../../helpers/pg-clients.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  postgres: { database: 'app', tables: ['User', 'Chat'], appRole: 'app_pool', verifierRole: 'verifier_pool', tls: false },
});

describe.each(PG_SERVERS)('pg.connection-pooling against a real pgbouncer and Postgres (%s)', (server) => {
  const postgres = usePostgres({ server });
  const superuser = superuserClients(postgres);
  let admin: pg.Client;
  let state: AppliedPgState;
  const bouncers: PgbouncerInstance[] = [];

  beforeAll(async () => {
    admin = await superuser.connect();
    state = await applyPgState(admin, spec);
    await admin.query('CREATE DATABASE other');
  });

  afterAll(async () => {
    for (const b of bouncers) await b.stop();
    await superuser.endAll();
  });

  /** A pgbouncer in front of the server with the given [databases] entries, the app's traffic through it, and pg.connection-pooling's findings. */
  async function pooling(databases: PgbouncerOptions['databases'], traffic: boolean, poolerDb = 'app'): Promise<{ bouncer: PgbouncerInstance; findings: string[] }> {
    const p = postgres();
    const bouncer = await startPgbouncer({
      backend: { host: p.host, port: p.port },
      users: { [state.app.user]: state.app.password, [state.verifier.user]: state.verifier.password },
      statsUsers: [state.verifier.user],
      ...(databases ? { databases } : {}),
    });
    bouncers.push(bouncer);
    if (traffic) await runAppTraffic({ connectionString: bouncer.url(state.app.user, 'app'), ssl: false }, spec, 1);
    const s = await collectPg(spec, { url: state.verifierUrl, poolerUrl: bouncer.url(state.app.user, poolerDb), poolerAdminUrl: bouncer.adminUrl(state.verifier.user), timeoutMs: 5_000 });
    return { bouncer, findings: pgConnectionPooling.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`) };
  }

  const label = (b: PgbouncerInstance) => `pgbouncer at 127.0.0.1:${b.port} must pool database "app" for role "app_pool" into the database at 127.0.0.1:${postgres().port}/app`;

  it('passes a pool entry for the spec database that leads to it', async () => {
    const { bouncer, findings } = await pooling({ app: { host: '127.0.0.1', port: postgres().port, dbname: 'app' } }, true);
    expect(findings).toEqual([`pass: ${label(bouncer)} (found a transaction pool for "app_pool" leading to 127.0.0.1:${postgres().port}/app).`]);
  });

  it('fails a pool entry for the spec database that leads to another database on the same server', async () => {
    // No app traffic: through this pool the app would land in a database without its tables.
    const { bouncer, findings } = await pooling({ app: { host: '127.0.0.1', port: postgres().port, dbname: 'other' } }, false);
    expect(findings).toEqual([`fail: ${label(bouncer)} (found "app" leads to 127.0.0.1:${postgres().port}/other).`]);
  });

  it('with only a `*` fallback and no client for a while (no entry listed), logs in through poolerUrl once and judges where the entry leads', async () => {
    const { bouncer, findings } = await pooling(undefined, false);
    expect(findings).toEqual([
      `pass: ${label(bouncer)} (found a transaction pool for "app_pool" leading to 127.0.0.1:${postgres().port}/app, listed once prodcheck logged in through poolerUrl: pgbouncer drops a \`*\`-routed database while it is idle).`,
    ]);
  });

  it('fails a pooler URL whose database the `*` fallback routes to another database, once the login has made pgbouncer list it', async () => {
    const { bouncer, findings } = await pooling({ app: { host: '127.0.0.1', port: postgres().port, dbname: 'app' } }, false, 'nosuchdb');
    // pgbouncer lists it after the login, or has already dropped it again because the server refused it: both are named.
    const head = `fail: pgbouncer at 127.0.0.1:${bouncer.port} must pool database "nosuchdb" for role "app_pool" into the database at 127.0.0.1:${postgres().port}/app `;
    expect(findings).toHaveLength(1);
    expect([
      `${head}(found "nosuchdb" leads to 127.0.0.1:${postgres().port}/nosuchdb).`,
      `${head}(found no [databases] entry for it, and a login through poolerUrl failed: cannot connect to 127.0.0.1:${bouncer.port} as "app_pool" (sslmode=prefer): database "nosuchdb" does not exist, only "app").`,
    ]).toContain(findings[0]);
  });

  it('fails, saying why, when the login through a pooler that knows no such user fails (pgbouncer still lists the database it was asked for)', async () => {
    const p = postgres();
    const bouncer = await startPgbouncer({ backend: { host: p.host, port: p.port }, users: { [state.verifier.user]: state.verifier.password }, statsUsers: [state.verifier.user] });
    bouncers.push(bouncer);
    const s = await collectPg(spec, { url: state.verifierUrl, poolerUrl: bouncer.url(state.app.user, 'app'), poolerAdminUrl: bouncer.adminUrl(state.verifier.user), timeoutMs: 5_000 });
    expect(pgConnectionPooling.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`)[0]).toMatch(/^fail: .*\(found no pool for it: the app has not connected through pgbouncer; prodcheck's login through poolerUrl failed: .+\)\.$/);
  });

  it('fails a pool entry for the spec database that leads to another host', async () => {
    const { bouncer, findings } = await pooling({ app: { host: '127.0.0.2', port: postgres().port, dbname: 'app' } }, false);
    expect(findings).toEqual([`fail: ${label(bouncer)} (found "app" leads to 127.0.0.2:${postgres().port}/app).`]);
  });
});
