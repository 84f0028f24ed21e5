import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPgState, type AppliedPgState } from '../../../sandbox/pg/state.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { pgCollector } from '../../../verify/pg/collect.js';
import { pgFamily } from '../../../verify/pg/index.js';
import { llmLitellmRegistry } from '../../../verify/litellm/index.js';
import { usePostgres } from '../../harness.js';

const URL_ = 'https://litellm.example.net';
const specWith = (registry: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'gateway', domain: 'example.net' },
    postgres: { tables: ['litellm_servers'], rls: ['litellm_servers'], appRole: 'app_llm', verifierRole: 'verifier_llm' },
    litellm: { url: `${URL_}/`, registry },
  });

describe('llm.litellm.registry against a real Postgres', () => {
  const postgres = usePostgres();
  let admin: pg.Client;
  let state: AppliedPgState;
  const spec = specWith();

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: postgres().url, ssl: false });
    await admin.connect();
    // The seed's table: name, base_url, weight, priority, supported_models (RLS on, the verifier reads through its policy).
    state = await applyPgState(admin, spec);
    await admin.query('ALTER TABLE litellm_servers ADD COLUMN name text, ADD COLUMN base_url text, ADD COLUMN weight int, ADD COLUMN priority int, ADD COLUMN supported_models text[], ADD COLUMN is_active boolean NOT NULL DEFAULT true');
  });
  afterAll(async () => {
    await admin?.end();
  });
  beforeEach(async () => {
    await admin.query('DELETE FROM litellm_servers');
  });

  const judge = async (s: StackSpec = spec) => {
    const snap = await pgCollector.collect({ spec: s, targets: { postgres: { url: state.verifierUrl, timeoutMs: 5_000 } }, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    return llmLitellmRegistry.evaluate(snap, s).map((f) => [f.status, f.message]);
  };
  const insert = (url: string, active = true) =>
    admin.query(`INSERT INTO litellm_servers (name, base_url, weight, priority, supported_models, is_active) VALUES ('Primary', $1, 100, 1, ARRAY['gpt-4', 'gpt-3.5-turbo'], $2)`, [url, active]);

  it('is part of the pg family, judged over its read-only connection', () => {
    expect(pgFamily.checks.map((c) => c.id)).toContain('llm.litellm.registry');
    expect(llmLitellmRegistry.target).toBe('postgres');
  });

  it('passes when the proxy URL is registered (a trailing slash and case aside)', async () => {
    await insert('HTTPS://litellm.example.net/');
    expect(await judge()).toEqual([['pass', `LiteLLM server ${URL_} is registered in litellm_servers.base_url (1 row).`]]);
  });

  it('fails an empty table and one that holds only other servers, naming them', async () => {
    expect(await judge()).toEqual([['fail', `LiteLLM server ${URL_} must be registered in litellm_servers.base_url (the table is empty): the app does not route to it.`]]);
    await insert('https://your-litellm.com');
    await insert('https://old-litellm.example.net');
    expect(await judge()).toEqual([
      ['fail', `LiteLLM server ${URL_} must be registered in litellm_servers.base_url (found 2 other rows: https://old-litellm.example.net, https://your-litellm.com): the app does not route to it.`],
    ]);
  });

  it('fails a registered but inactive server when the spec names the active column', async () => {
    await insert(URL_, false);
    expect(await judge(specWith({ activeColumn: 'is_active' }))).toEqual([
      ['fail', `LiteLLM server ${URL_} is registered in litellm_servers.base_url but is_active is not true on any of its 1 row: the app skips it.`],
    ]);
    await insert(URL_, true);
    expect(await judge(specWith({ activeColumn: 'is_active' }))).toEqual([['pass', `LiteLLM server ${URL_} is registered in litellm_servers.base_url (2 rows, 1 active).`]]);
  });

  it('fails a missing table or column', async () => {
    expect(await judge(specWith({ table: 'llm_servers' }))).toEqual([['fail', 'The LiteLLM servers table llm_servers must exist (found no such table): the app has no LiteLLM server to route to.']]);
    expect(await judge(specWith({ column: 'url' }))).toEqual([['fail', 'The LiteLLM servers table litellm_servers has no column url (set prodcheck:litellm.registry.column to the column holding the server URL).']]);
  });

  it('row level security hiding every row is an error, not a failure', async () => {
    await insert(URL_);
    await admin.query('DROP POLICY prodcheck_verifier_read ON litellm_servers');
    try {
      expect(await judge()).toEqual([
        ['error', 'Could not read litellm_servers: row level security hides every row from the verifier role; give it a SELECT policy on the table (or BYPASSRLS) to judge the registry.'],
      ]);
    } finally {
      await admin.query('CREATE POLICY prodcheck_verifier_read ON litellm_servers FOR SELECT TO verifier_llm USING (true)');
    }
  });

  it('a verifier without SELECT is an error naming the grant', async () => {
    await admin.query('REVOKE SELECT ON litellm_servers FROM verifier_llm');
    try {
      expect(await judge()).toEqual([['error', 'Could not read the LiteLLM servers table litellm_servers (permission denied for table litellm_servers: grant SELECT on litellm_servers to "verifier_llm").']]);
    } finally {
      await admin.query('GRANT SELECT ON litellm_servers TO verifier_llm');
    }
  });

  it('is not read when llm.litellm.registry does not run (--skip), and the pg checks still are', async () => {
    const snap = await pgCollector.collect({
      spec,
      targets: { postgres: { url: state.verifierUrl, timeoutMs: 5_000 } },
      active: false,
      redactor: new Redactor(),
      signal: new AbortController().signal,
      runs: (id) => id !== 'llm.litellm.registry',
    });
    expect(snap.unreached).toBeUndefined();
    expect(snap.litellmRegistry).toBeUndefined();
  });

  it('skips when the stack has no litellm section', async () => {
    const none = stackSpecSchema.parse({ app: { name: 'gateway', domain: 'example.net' }, postgres: { appRole: 'app_llm', verifierRole: 'verifier_llm' } });
    expect(await judge(none)).toEqual([['skip', 'The stack has no prodcheck:litellm section: no LiteLLM server to look for.']]);
  });
});
