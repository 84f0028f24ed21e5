import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_FAULTS } from '../../../sandbox/pg/faults.js';
import { applyPgState, enableServerTls, requireTlsLogins, setServerTls, type AppliedPgState } from '../../../sandbox/pg/state.js';
import { createTlsFiles, type TlsFiles } from '../../../sandbox/services/tls.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { PG_CHECKS, pgConnectivity } from '../../../verify/pg/checks/index.js';
import { pgCollector } from '../../../verify/pg/collect.js';
import type { PgSnapshot } from '../../../verify/pg/snapshot.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { run, snap } from './fixture.js';

describe('pg.connectivity on a snapshot', () => {
  const where = '10.0.0.5:5432';
  it('passes TLS in use with plaintext logins refused', () => {
    expect(run(pgConnectivity).slice(0, 2)).toEqual([
      ['pass', `Postgres at ${where} must be reached over TLS (found TLSv1.3, certificate and host name verified).`],
      ['pass', `Postgres at ${where} must refuse logins without TLS (found a plaintext login as "app" refused: no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption).`],
    ]);
  });

  it('fails a server that offers no TLS, and one that also admits plaintext logins', () => {
    const noTls = snap({ transport: { tlsOffered: { ok: true, value: false } }, unreached: 'the server offers no TLS and the verifier could not log in (x)' });
    expect(run(pgConnectivity, noTls)).toEqual([['fail', `Postgres at ${where} must be reached over TLS (found the server offers no TLS: it declines the SSLRequest).`]]);
    const plain = snap({ transport: { tlsOffered: { ok: true, value: true }, plaintext: { ok: true, value: { user: 'app', accepted: true, answer: 'a SCRAM password request' } } } });
    expect(run(pgConnectivity, plain)[1]).toEqual([
      'fail',
      `Postgres at ${where} must refuse logins without TLS (found a plaintext login as "app" answered with a SCRAM password request: a pg_hba.conf "host" rule admits it; use "hostssl" rules, or "hostnossl all all all reject" first).`,
    ]);
    const unknown = snap({ transport: { tlsOffered: { ok: true, value: true }, plaintext: { ok: false, error: 'connect ECONNRESET' } } });
    expect(run(pgConnectivity, unknown)[1]).toEqual(['error', `Could not read whether the server refuses a login without TLS (connect ECONNRESET).`]);
  });
});

describe.each(PG_SERVERS)('pg.connectivity against a real Postgres (%s)', (server) => {
  const postgres = usePostgres({ server });
  let tls: TlsFiles;
  let admin: pg.Client;
  let state: AppliedPgState;
  let spec: StackSpec;
  const collect = (url = state.verifierUrl): Promise<PgSnapshot> =>
    pgCollector.collect({ spec, targets: { postgres: { url, caFile: tls.caFile, timeoutMs: 5_000 } }, active: false, redactor: new Redactor(), signal: new AbortController().signal });
  const connectivity = (s: PgSnapshot) => pgConnectivity.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`).slice(0, 2);

  beforeAll(async () => {
    tls = await createTlsFiles();
    admin = new pg.Client({ connectionString: postgres().url, ssl: false });
    await admin.connect();
    spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com' }, postgres: { tables: ['Chat'], appRole: 'app_conn', verifierRole: 'verifier_conn' } });
    state = await applyPgState(admin, spec);
    await enableServerTls(admin, tls);
    await requireTlsLogins(admin);
  });
  afterAll(async () => {
    await admin?.end();
    await tls?.remove();
  });

  it('passes TLS with hostssl-only rules, and fails the planted "host" rule beside them', async () => {
    const port = postgres().port;
    const refused = `no pg_hba.conf entry for host "127.0.0.1", user "app_conn", database "app", no encryption`;
    expect(connectivity(await collect())).toEqual([
      `pass: Postgres at 127.0.0.1:${port} must be reached over TLS (found TLSv1.3, certificate chain verified, host name not checked).`,
      `pass: Postgres at 127.0.0.1:${port} must refuse logins without TLS (found a plaintext login as "app_conn" refused: ${refused}).`,
    ]);
    const fault = PG_FAULTS['pg.connectivity'];
    if (!fault) throw new Error('no connectivity fault');
    await fault(admin, spec, { url: state.verifierUrl, timeoutMs: 5_000 });
    try {
      expect(connectivity(await collect())).toEqual([
        `pass: Postgres at 127.0.0.1:${port} must be reached over TLS (found TLSv1.3, certificate chain verified, host name not checked).`,
        `fail: Postgres at 127.0.0.1:${port} must refuse logins without TLS (found a plaintext login as "app_conn" answered with a SCRAM password request: a pg_hba.conf "host" rule admits it; use "hostssl" rules, or "hostnossl all all all reject" first).`,
      ]);
    } finally {
      await requireTlsLogins(admin);
    }
  });

  it('fails a server that offers no TLS, whatever the sslmode, and skips the other checks', async () => {
    await setServerTls(admin, false);
    try {
      for (const mode of ['prefer', 'require', 'verify-full']) {
        const s = await collect(`${state.verifierUrl}?sslmode=${mode}`);
        expect(connectivity(s)).toEqual([`fail: Postgres at 127.0.0.1:${postgres().port} must be reached over TLS (found the server offers no TLS: it declines the SSLRequest).`]);
        const others = PG_CHECKS.filter((c) => c.id !== 'pg.connectivity').flatMap((c) => c.evaluate(s, spec).map((f) => f.status));
        expect(new Set(others)).toEqual(new Set(['skip']));
      }
    } finally {
      await setServerTls(admin, true);
    }
  });
});
