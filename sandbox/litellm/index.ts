import pg from 'pg';
import type { StackSpec } from '../../spec/index.js';
import { parseQualified, registryUrl } from '../../spec/index.js';
import type { LitellmApiServer } from '../../test/fixtures/litellm-api/index.js';
import { startLitellmApi } from '../../test/fixtures/litellm-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import { PG_ADMIN_OUTPUT } from '../pg/index.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { stopOnError } from '../stop-on-error.js';

/** Where each model is served from: a provider per name, as a team's config.yaml spreads them. */
const providerOf = (name: string): string => (/claude/i.test(name) ? 'anthropic' : /gemini/i.test(name) ? 'gemini' : 'openai');

const API_FAULTS: Readonly<Record<string, (api: LitellmApiServer, spec: StackSpec) => void>> = {
  // The proxy is up but its readiness probe fails (its cache is gone): a load balancer sends it nothing.
  'llm.litellm.server': (api) => {
    api.state.readinessStatus = 503;
  },
  // A model the app offers was dropped from config.yaml.
  'llm.litellm.models': (api, spec) => {
    const victim = spec.litellm?.models.at(-1) ?? api.state.deployments.at(-1)?.modelName;
    if (victim === undefined) throw new FaultNotPlantableError('llm.litellm.models', 'the proxy serves no model to remove');
    api.state.deployments.splice(0, api.state.deployments.length, ...api.state.deployments.filter((d) => d.modelName !== victim));
  },
  // The provider key behind one deployment was revoked.
  'llm.litellm.provider-keys': (api) => {
    const d = api.state.deployments[0];
    if (!d) throw new FaultNotPlantableError('llm.litellm.provider-keys', 'the proxy serves no model');
    d.unhealthy = `litellm.AuthenticationError: AuthenticationError: ${providerOf(d.modelName) === 'anthropic' ? 'AnthropicException' : 'OpenAIException'} - Incorrect API key provided: sk-proj-****************************revk. You can find your API key at https://platform.openai.com/account/api-keys.`;
  },
};

/**
 * The seed's servers table (name, base_url, weight, priority, supported_models) with the proxy registered,
 * written as the superuser: the app's migrations would create it, and an admin adds the row. With the
 * llm.litellm.registry fault only the seed's placeholder row is there.
 */
async function registerServer(adminUrl: string, spec: StackSpec, broken: boolean): Promise<void> {
  const litellm = spec.litellm;
  const p = spec.postgres;
  if (!litellm || !p) return;
  const admin = new pg.Client({ connectionString: adminUrl, ssl: false });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    const q = parseQualified(litellm.registry.table);
    const id = (s: string) => admin.escapeIdentifier(s);
    const table = `${id(q.schema)}.${id(q.name)}`;
    const exists = (await admin.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t;
    if (!exists) {
      await admin.query(`CREATE TABLE ${table} ("id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)`);
      await admin.query(`GRANT SELECT ON ${table} TO ${id(p.verifierRole)}`);
    }
    const active = litellm.registry.activeColumn ? `, ADD COLUMN IF NOT EXISTS ${id(litellm.registry.activeColumn)} boolean NOT NULL DEFAULT true` : '';
    await admin.query(
      `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS "name" text, ADD COLUMN IF NOT EXISTS ${id(litellm.registry.column)} text, ADD COLUMN IF NOT EXISTS "weight" int,
         ADD COLUMN IF NOT EXISTS "priority" int, ADD COLUMN IF NOT EXISTS "supported_models" text[]${active}`,
    );
    const url = broken ? 'https://your-litellm.com' : registryUrl(litellm.url);
    await admin.query(`INSERT INTO ${table} ("name", ${id(litellm.registry.column)}, "weight", "priority", "supported_models") VALUES ('Primary', $1, 100, 1, $2)`, [url, litellm.models]);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * A local LiteLLM proxy serving the stack's models (one deployment each, more up to litellm.minModels), ready,
 * with working provider keys, registered in the app's servers table in the sandbox Postgres. Phase 2: the
 * table is seeded once Postgres is up.
 */
export const litellmSandbox: SandboxFamily = {
  name: 'litellm',
  phase: 2,
  applies: (spec) => spec.litellm !== undefined,
  breakable: [...Object.keys(API_FAULTS), 'llm.litellm.registry'],
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const litellm = spec.litellm;
    if (!litellm) throw new Error('the litellm sandbox started for a stack without a prodcheck:litellm section (applies() says so)');
    const api = await startLitellmApi();
    return stopOnError(api, async () => {
      const names = [...litellm.models];
      for (let n = 1; names.length < litellm.minModels; n++) names.push(`extra-model-${n}`);
      for (const name of names) api.addDeployment(name, `${providerOf(name)}/${name}`);
      for (const control of breaks) {
        if (control === 'llm.litellm.registry') continue;
        await plantFault(control, () => API_FAULTS[control]?.(api, spec));
        ctx.log(`litellm: planted the ${control} fault`);
      }
      const adminUrl = ctx.outputs[PG_ADMIN_OUTPUT];
      if (breaks.has('llm.litellm.registry') && (!spec.postgres || !adminUrl)) {
        await plantFault('llm.litellm.registry', () => {
          throw new FaultNotPlantableError('llm.litellm.registry', 'the stack has no prodcheck:postgres section to hold the servers table');
        });
      }
      if (adminUrl) await registerServer(adminUrl, spec, breaks.has('llm.litellm.registry'));
      if (breaks.has('llm.litellm.registry')) ctx.log('litellm: planted the llm.litellm.registry fault');
      return {
        targets: { litellm: { baseUrl: api.url, masterKey: api.masterKey, timeoutMs: 5_000, healthTimeoutMs: 10_000 } },
        secrets: [api.masterKey],
        describe: [`litellm   ${api.url} (local LiteLLM proxy, ${names.length} models; registered in ${litellm.registry.table} as ${registryUrl(litellm.url)}) — the master key is in the targets file`],
        stop: () => api.stop(),
      };
    });
  },
};
