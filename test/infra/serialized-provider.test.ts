import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { expect, test } from 'vitest';
import { usePostgres } from '../harness.js';

const server = usePostgres();
const script = fileURLToPath(new URL('./fixtures/serialized-access.ts', import.meta.url));

// vitest rewrites modules in a way Pulumi's closure serializer cannot follow, so the provider is
// serialized in a plain Node process with the loader `pulumi up` uses (tsx, Pulumi.yaml nodeargs).
test('the access provider, serialized as the state stores it and loaded as the engine loads it, manages a real database', async () => {
  const s = server();
  const admin = new pg.Client({ connectionString: s.url });
  await admin.connect();
  await admin.query('CREATE TABLE audit_events (id bigserial PRIMARY KEY, note text)');
  await admin.end();
  const args = {
    host: s.host,
    port: s.port,
    database: s.database,
    adminUser: s.user,
    adminPassword: s.password,
    sslmode: 'disable',
    appRole: 'app',
    appPassword: 'A'.repeat(40),
    verifierRole: 'prodcheck_verifier',
    verifierPassword: 'V'.repeat(40),
    tables: ['audit_events'],
    rls: ['audit_events'],
    appendOnly: ['audit_events'],
  };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ACCESS_ARGS: JSON.stringify(args) }, timeout: 60_000 });
  const result = JSON.parse(stdout) as Record<string, unknown>;
  expect(result).toEqual({
    mentionsPgModule: true,
    failures: [],
    id: `127.0.0.1:${s.port}/${s.database}/app+prodcheck_verifier`,
    drift: [],
    tables: [{ table: 'public.audit_events', exists: true, rls: true, app: ['SELECT', 'INSERT'], verifierSelect: true }],
    diff: { changes: true, replaces: [], deleteBeforeReplace: false },
  });
  const after = new pg.Client({ connectionString: s.url });
  await after.connect();
  const roles = await after.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname IN ('app', 'prodcheck_verifier')`);
  await after.end();
  expect(roles.rows).toEqual([]);
});
