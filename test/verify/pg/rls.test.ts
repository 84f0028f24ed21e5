import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPgState } from '../../../sandbox/pg/state.js';
import type { PostgresSpec, StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgRls } from '../../../verify/pg/checks/index.js';
import { classifyPolicyExpr } from '../../../verify/pg/read-rls.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { collectPg, superuserClients } from '../../helpers/pg-clients.js';
import { clean, policy, run, snap, table, withPg } from './fixture.js';

const label = (t: string) => `Table "${t}" must enforce row level security on role "app"`;
const passFound = (n: number) => `found RLS enabled and forced, ${n === 1 ? '1 policy' : `${n} policies`} for "app" checking the row or session, no role bypassing it`;

describe('pg.rls on a snapshot', () => {
  it('passes tables whose RLS is enabled and forced with policies that check the row or session', () => {
    expect(run(pgRls)).toEqual([
      ['pass', `${label('Chat')} (${passFound(1)}).`],
      ['pass', `${label('Message')} (${passFound(2)}).`],
    ]);
  });

  it('fails RLS disabled, no policy for the app, and a missing table', () => {
    const relations = [table('public', 'Chat', false, 1), table('public', 'Message', true, 0)];
    const s = snap({ relations: { ok: true, value: relations }, policies: { ok: true, value: [policy('Message', 'admins', { roles: ['admin'], appliesToApp: false })] } });
    expect(run(pgRls, s)).toEqual([
      ['fail', `${label('Chat')} (found RLS disabled, 1 policy).`],
      ['fail', `${label('Message')} (found RLS enabled but no permissive policy for "app" (only "admins")).`],
    ]);
    expect(run(pgRls, snap({ relations: { ok: true, value: [] } }), withPg({ rls: ['Chat'] }))).toEqual([['fail', `${label('Chat')} (found none in schema "public").`]]);
    expect(run(pgRls, clean, withPg({ rls: [] }))).toEqual([['skip', 'No tables to check: postgres.rls is empty.']]);
  });

  it('fails a table whose owner bypasses the policies, unless the spec trusts the owner', () => {
    const s = snap({ relations: { ok: true, value: [{ ...table('public', 'Chat', true, 1), forceRls: false }, table('public', 'Message', true, 2)] } });
    expect(run(pgRls, s)[0]).toEqual([
      'fail',
      `${label('Chat')} (found FORCE ROW LEVEL SECURITY off, so the owner "migrator" bypasses every policy: ALTER TABLE ... FORCE ROW LEVEL SECURITY, or set postgres.rlsOwnerTrusted).`,
    ]);
    expect(run(pgRls, s, withPg({ rlsOwnerTrusted: true }))[0]).toEqual([
      'pass',
      `${label('Chat')} (found RLS enabled, owner trusted, 1 policy for "app" checking the row or session, no role bypassing it).`,
    ]);
  });

  it('names each trivially true policy and clause, unless a restrictive policy narrows the same commands', () => {
    const open = { text: 'true', refsRow: false, refsSession: false };
    const policies = [
      policy('Chat', 'chat_owner', { using: { text: '("userId" = 1)', refsRow: true, refsSession: false } }),
      policy('Chat', 'anyone', { roles: ['PUBLIC'], command: 'SELECT', using: open }),
      policy('Message', 'writes', { command: 'INSERT', withCheck: { text: '(1 = 1)', refsRow: false, refsSession: false } }),
      policy('Message', 'tenant', { permissive: false, command: 'ALL', using: { text: "(current_setting('app.tenant'::text) = 'a'::text)", refsRow: false, refsSession: true } }),
    ];
    expect(run(pgRls, snap({ policies: { ok: true, value: policies } }))).toEqual([
      ['fail', `${label('Chat')} (found policy "anyone" for SELECT to every role with USING (true), which checks neither the row nor the session, so it admits every row).`],
      ['pass', `${label('Message')} (${passFound(1)}).`],
    ]);
    expect(run(pgRls, snap({ policies: { ok: true, value: policies.slice(0, 3) } }))[1]).toEqual([
      'fail',
      `${label('Message')} (found policy "writes" for INSERT to role "app" with WITH CHECK ((1 = 1)), which checks neither the row nor the session, so it admits every row).`,
    ]);
  });

  it('fails a role with BYPASSRLS that can reach the table, unless the spec lists it', () => {
    const s = snap({ rlsBypass: { ok: true, value: [{ schema: 'public', table: 'Chat', role: 'service', appCanBecome: true }] } });
    expect(run(pgRls, s)[0]).toEqual([
      'fail',
      `${label('Chat')} (found role "service" with BYPASSRLS and privileges on the table and "app" can SET ROLE to it; list it in postgres.rlsBypassRoles if that is intended).`,
    ]);
    expect(run(pgRls, s, withPg({ rlsBypassRoles: ['service'] }))[0]?.[0]).toBe('pass');
    expect(run(pgRls, snap({ policies: { ok: false, error: 'boom' } }))).toEqual([['error', 'Could not read the policies from pg_policy (boom).']]);
  });
});

describe('classifyPolicyExpr', () => {
  it('sees a column of the table at its own query level, not a sub-select column of another table', () => {
    const outer = '{SUBLINK :subLinkType 0 :subselect {QUERY :commandType 1 :jointree {FROMEXPR :quals {OPEXPR :args ({VAR :varno 1 :varattno 1 :varlevelsup 0} {VAR :varno 1 :varattno 2 :varlevelsup 1})}}}}';
    expect(classifyPolicyExpr(outer, 'x', [])).toEqual({ text: 'x', refsRow: true, refsSession: false });
    const inner = '{SUBLINK :subLinkType 0 :subselect {QUERY :commandType 1 :jointree {FROMEXPR :quals {VAR :varno 1 :varattno 1 :varlevelsup 0}}}}';
    expect(classifyPolicyExpr(inner, 'x', []).refsRow).toBe(false);
    expect(classifyPolicyExpr('{CONST :consttype 16 :constvalue 1 [ 1 0 0 0 0 0 0 0 ]}', 'true', [])).toEqual({ text: 'true', refsRow: false, refsSession: false });
    expect(classifyPolicyExpr('{FUNCEXPR :funcid 42}', 'auth.uid()', [{ schema: 'auth', name: 'uid' }]).refsSession).toBe(true);
    expect(classifyPolicyExpr('{FUNCEXPR :funcid 42}', 'now()', [{ schema: 'pg_catalog', name: 'now' }]).refsSession).toBe(false);
  });
});

function rlsSpec(name: string, over: Partial<PostgresSpec> = {}): StackSpec {
  return stackSpecSchema.parse({
    app: { name: 'chat', domain: 'chat.example.com' },
    postgres: { tables: ['Chat', 'Message'], rls: ['Chat', 'Message'], appRole: `app_${name}`, verifierRole: `verifier_${name}`, ...over },
  });
}

describe.each(PG_SERVERS)('pg.rls against a real Postgres (%s)', (server) => {
  const postgres = usePostgres({ server });
  const superuser = superuserClients(postgres);
  afterAll(() => superuser.endAll());

  /** A fresh database with the spec's state applied; `plant` runs as the superuser before the verifier collects. */
  async function rlsFindings(name: string, plant: (db: pg.Client) => Promise<unknown>, over: Partial<PostgresSpec> = {}): Promise<string[]> {
    const db = await superuser.freshDatabase(name);
    const spec = rlsSpec(name, over);
    const state = await applyPgState(db, spec);
    await plant(db);
    const s = await collectPg(spec, { url: state.verifierUrl, timeoutMs: 5_000 });
    return pgRls.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`);
  }
  const lbl = (t: string, name: string) => `Table "${t}" must enforce row level security on role "app_${name}"`;

  it('passes the sandbox state, whose policies check the row and the session', async () => {
    expect(await rlsFindings('rls_clean', async () => undefined)).toEqual([
      `pass: ${lbl('Chat', 'rls_clean')} (found RLS enabled and forced, 1 policy for "app_rls_clean" checking the row or session, no role bypassing it).`,
      `pass: ${lbl('Message', 'rls_clean')} (found RLS enabled and forced, 1 policy for "app_rls_clean" checking the row or session, no role bypassing it).`,
    ]);
  });

  it('fails an owner bypass, trivially true policies and a BYPASSRLS role, and passes session-only and row sub-select policies', async () => {
    const name = 'rls_faults';
    const got = await rlsFindings(name, async (db) => {
      await db.query('ALTER TABLE "Chat" NO FORCE ROW LEVEL SECURITY');
      await db.query(`CREATE POLICY by_login ON "Chat" FOR SELECT TO app_${name} USING (current_user = 'someone')`);
      await db.query(`CREATE POLICY constant ON "Chat" FOR UPDATE TO PUBLIC USING (1 = 1)`);
      await db.query(`CREATE POLICY via_chat ON "Message" FOR SELECT TO app_${name} USING (EXISTS (SELECT 1 FROM "Chat" c WHERE c.id = "Message".id))`);
      await db.query(`CREATE POLICY any_chat ON "Message" FOR DELETE TO app_${name} USING (EXISTS (SELECT 1 FROM "Chat" c WHERE c.id > 0))`);
      await db.query(`CREATE POLICY writes ON "Message" FOR INSERT TO app_${name} WITH CHECK (true)`);
      await db.query(`CREATE ROLE svc_${name} BYPASSRLS`);
      await db.query(`GRANT SELECT ON "Message" TO svc_${name}`);
      await db.query(`GRANT svc_${name} TO app_${name}`);
    });
    expect(got).toEqual([
      `fail: ${lbl('Chat', name)} (found FORCE ROW LEVEL SECURITY off, so the owner "postgres" bypasses every policy: ALTER TABLE ... FORCE ROW LEVEL SECURITY, or set postgres.rlsOwnerTrusted).`,
      `fail: ${lbl('Chat', name)} (found policy "constant" for UPDATE to every role with USING ((1 = 1)), which checks neither the row nor the session, so it admits every row).`,
      `fail: ${lbl('Message', name)} (found policy "any_chat" for DELETE to role "app_${name}" with USING ((EXISTS ( SELECT 1\n   FROM "Chat" c\n  WHERE (c.id > 0)))), which checks neither the row nor the session, so it admits every row).`,
      `fail: ${lbl('Message', name)} (found policy "writes" for INSERT to role "app_${name}" with WITH CHECK (true), which checks neither the row nor the session, so it admits every row).`,
      `fail: ${lbl('Message', name)} (found role "svc_${name}" with BYPASSRLS and privileges on the table and "app_${name}" can SET ROLE to it; list it in postgres.rlsBypassRoles if that is intended).`,
    ]);
  });

  it('accepts what the spec trusts: the owner and a listed BYPASSRLS role', async () => {
    const name = 'rls_trusted';
    const got = await rlsFindings(
      name,
      async (db) => {
        await db.query('ALTER TABLE "Chat" NO FORCE ROW LEVEL SECURITY');
        await db.query(`CREATE ROLE service_${name} BYPASSRLS`);
        await db.query(`GRANT SELECT ON "Chat" TO service_${name}`);
      },
      { rlsOwnerTrusted: true, rlsBypassRoles: [`service_${name}`] },
    );
    expect(got).toEqual([
      `pass: ${lbl('Chat', name)} (found RLS enabled, owner trusted, 1 policy for "app_${name}" checking the row or session, no role bypassing it).`,
      `pass: ${lbl('Message', name)} (found RLS enabled and forced, 1 policy for "app_${name}" checking the row or session, no role bypassing it).`,
    ]);
  });
});
