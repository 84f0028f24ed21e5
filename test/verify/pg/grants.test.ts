import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPgState } from '../../../sandbox/pg/state.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgGrantsAppendOnly, pgGrantsLeastPrivilege } from '../../../verify/pg/checks/index.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { collectPg, superuserClients } from '../../helpers/pg-clients.js';

describe.each(PG_SERVERS)('pg.grants.* against a real Postgres (%s): every path to a write', (server) => {
  const postgres = usePostgres({ server });
  const superuser = superuserClients(postgres);
  afterAll(() => superuser.endAll());

  /** A fresh database with the spec's state; `plant` runs as the superuser; returns both grants checks' findings. */
  async function grants(name: string, plant: (db: pg.Client) => Promise<unknown>): Promise<string[]> {
    const db = await superuser.freshDatabase(name);
    const spec = stackSpecSchema.parse({
      app: { name: 'x', domain: 'x.example.com' },
      postgres: { tables: ['Chat', 'audit.events'], appendOnly: ['audit.events'], appRole: `app_${name}`, verifierRole: `verifier_${name}`, tls: false },
    });
    const state = await applyPgState(db, spec);
    await plant(db);
    const s = await collectPg(spec, { url: state.verifierUrl, timeoutMs: 5_000 });
    return [pgGrantsLeastPrivilege, pgGrantsAppendOnly].flatMap((c) => c.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`));
  }
  const least = (name: string, found: string) =>
    `Role "app_${name}" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas (found ${found}).`;
  const append = (name: string, found: string) => `Role "app_${name}" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found ${found}).`;

  it('passes the sandbox state', async () => {
    expect(await grants('g_clean', async () => undefined)).toEqual([`pass: ${least('g_clean', 'none of these')}`, `pass: ${append('g_clean', 'none of these')}`]);
  });

  it('fails a column UPDATE granted to PUBLIC', async () => {
    expect(await grants('g_public', (db) => db.query('GRANT UPDATE ("id") ON "audit"."events" TO PUBLIC'))).toEqual([
      `pass: ${least('g_public', 'none of these')}`,
      `fail: ${append('g_public', 'UPDATE')}`,
    ]);
  });

  it('fails membership, two roles deep, in the role that owns the table', async () => {
    const got = await grants('g_owner', async (db) => {
      await db.query('CREATE ROLE owner_g_owner NOLOGIN');
      await db.query('CREATE ROLE team_g_owner NOLOGIN');
      await db.query('ALTER TABLE "audit"."events" OWNER TO owner_g_owner');
      await db.query('GRANT owner_g_owner TO team_g_owner');
      await db.query('GRANT team_g_owner TO app_g_owner');
    });
    expect(got).toEqual([
      `fail: ${least('g_owner', 'member of table owner "owner_g_owner"')}`,
      `fail: ${append('g_owner', 'UPDATE, DELETE, TRUNCATE; every privilege through role "owner_g_owner", the table owner; UPDATE, DELETE, TRUNCATE through role "team_g_owner"')}`,
    ]);
  });

  it('fails a SECURITY DEFINER function the app may execute that deletes from the table', async () => {
    const got = await grants('g_definer', async (db) => {
      await db.query(`CREATE FUNCTION "audit".purge(before timestamptz) RETURNS void LANGUAGE sql SECURITY DEFINER AS 'DELETE FROM audit.events'`);
      // An invoker's-rights function doing the same is no path: it runs with the app's own privileges.
      await db.query(`CREATE FUNCTION "audit".purge_invoker() RETURNS void LANGUAGE sql AS 'DELETE FROM audit.events'`);
    });
    expect(got).toEqual([`pass: ${least('g_definer', 'none of these')}`, `fail: ${append('g_definer', 'SECURITY DEFINER function audit.purge(timestamp with time zone), which writes it')}`]);
  });

  it('fails default privileges that give the app role write on future tables in the protected schema, naming the grantor and the path', async () => {
    const got = await grants('g_default', async (db) => {
      await db.query('CREATE ROLE migrator_g_default NOLOGIN');
      await db.query('CREATE ROLE writers_g_default NOLOGIN');
      await db.query('GRANT writers_g_default TO app_g_default');
      await db.query('ALTER DEFAULT PRIVILEGES FOR ROLE migrator_g_default IN SCHEMA "audit" GRANT UPDATE, DELETE ON TABLES TO app_g_default');
      await db.query('ALTER DEFAULT PRIVILEGES FOR ROLE migrator_g_default GRANT TRUNCATE ON TABLES TO writers_g_default');
      // Default privileges that only let it read and insert are no path.
      await db.query('ALTER DEFAULT PRIVILEGES FOR ROLE migrator_g_default IN SCHEMA "audit" GRANT SELECT, INSERT ON TABLES TO PUBLIC');
    });
    const paths =
      'default privileges of role "migrator_g_default" grant UPDATE, DELETE on future tables in schema "audit" to "app_g_default"; ' +
      'default privileges of role "migrator_g_default" grant TRUNCATE on future tables in every schema to role "writers_g_default", which "app_g_default" is a member of';
    expect(got).toEqual([`fail: ${least('g_default', paths)}`, `fail: ${append('g_default', paths)}`]);
  });

  it('fails CREATE on the protected schema as a path of its own', async () => {
    const got = await grants('g_create', (db) => db.query('GRANT CREATE ON SCHEMA "audit" TO app_g_create'));
    expect(got).toEqual([
      `fail: ${least('g_create', 'CREATE on schema "audit"')}`,
      `fail: ${append('g_create', 'CREATE on schema "audit", where it can add objects beside the table')}`,
    ]);
  });
});
