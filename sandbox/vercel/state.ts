import { randomBytes } from 'node:crypto';
import type { EnvVarSpec, StackSpec } from '../../spec/index.js';
import { activeVars, appUrl, isSecretVar } from '../../spec/index.js';
import type { VercelApiServer } from '../../test/fixtures/vercel-api/index.js';
import { LIVE_SHA_OUTPUT } from '../github/index.js';
import { dsnOutput } from '../sentry/index.js';

/** What the sandbox project stands for: the values it holds and the endpoints verify must expect. */
export interface SeededProject {
  /** Every secret value put into the project, for the redactor. */
  readonly secrets: readonly string[];
  readonly databaseHost: string | undefined;
  readonly redisHost: string | undefined;
}

const random = (bytes = 33) => randomBytes(bytes).toString('base64url');

/** The value `pulumi up` would give a var: outputs of the phase-1 families, generated secrets, literals. */
function valueOf(key: string, v: EnvVarSpec, spec: StackSpec, outputs: Readonly<Record<string, string>>): string {
  switch (v.from) {
    case 'value':
      return v.value ?? '';
    case 'app.url':
      return appUrl(spec.app);
    case 'generated':
      return random();
    case 'postgres.url':
      return outputs['postgres.url'] ?? `postgres://app:${random(18)}@db.sandbox.internal:5432/${spec.postgres?.database ?? 'app'}?sslmode=require`;
    case 'redis.url':
      return outputs['redis.url'] ?? `rediss://default:${random(18)}@cache.sandbox.internal:6379`;
    case 'redis.restUrl':
      return outputs['redis.restUrl'] ?? 'https://kv.sandbox.internal';
    case 'config':
      // The Stripe family hands out keys; any other config secret is a stand-in of the right strength.
      if (key === 'STRIPE_SECRET_KEY' && outputs['stripe.secretKey']) return outputs['stripe.secretKey'];
      if (key === 'STRIPE_PUBLISHABLE_KEY' && outputs['stripe.publishableKey']) return outputs['stripe.publishableKey'];
      // A phase-1 family that stands for the value's source (the Sentry DSN) hands it over as env.<KEY>.
      return outputs[dsnOutput(key)] ?? random();
    default:
      return outputs[v.from] ?? random();
  }
}

const hostOf = (url: string | undefined) => (url !== undefined && URL.canParse(url) ? new URL(url).hostname : undefined);

/**
 * Brings the Vercel fake to the state `pulumi up` leaves: the project linked to the spec's repository,
 * every env var (feature-gated ones only when their feature is on) with secrets sensitive, the domain
 * verified, two READY production deployments (the live one and a rollback target), the firewall.
 */
export function seedProject(api: VercelApiServer, spec: StackSpec, outputs: Readonly<Record<string, string>>): SeededProject {
  const vercel = spec.vercel;
  if (!vercel) throw new Error('the stack has no prodcheck:vercel section');
  api.setProject({ name: vercel.project, framework: vercel.framework, link: vercel.git ? { type: vercel.git.type, repo: vercel.git.repo, productionBranch: vercel.git.productionBranch } : null });
  const secrets: string[] = [];
  let databaseHost: string | undefined;
  let redisHost: string | undefined;
  for (const [key, v] of activeVars(spec)) {
    const value = valueOf(key, v, spec, outputs);
    const secret = isSecretVar(key, v);
    if (secret) secrets.push(value);
    if (v.from === 'postgres.url') databaseHost ??= hostOf(value);
    if (v.from === 'redis.url') redisHost ??= hostOf(value);
    // Set now, as `pulumi up` sets them after the phase-1 resources (the Stripe webhook endpoint) exist.
    api.addEnv(key, value, { type: secret ? 'sensitive' : 'plain', target: v.targets, at: Date.now() });
  }
  api.addDomain(vercel.domain ?? spec.app.domain);
  api.addDeployment();
  // The live deployment was built from the commit the github sandbox holds (when the stack has CI).
  const liveSha = outputs[LIVE_SHA_OUTPUT];
  const live = api.addDeployment(liveSha !== undefined ? { sha: liveSha } : {});
  // What the app logs as it starts: each marker the stack expects, and ordinary traffic.
  let at = live.createdAt;
  for (const marker of vercel.logs?.markers ?? []) api.addLog({ level: 'info', message: `[startup] ${marker}`, timestampInMs: (at += 1_000) });
  api.addLog({ level: 'info', message: 'GET /api/health 200 in 12ms', timestampInMs: (at += 1_000), requestPath: '/api/health' });
  if (vercel.staging) api.addCustomEnvironment(vercel.staging.slug, vercel.staging.branch);
  if (vercel.logDrain) api.addDrain({ name: 'runtime logs', endpoint: `https://${vercel.logDrain.endpointHost ?? 'logs.sandbox.internal'}/vercel` });
  if (vercel.firewall?.enabled) {
    api.setFirewall({
      enabled: true,
      managedRules: Object.fromEntries(vercel.firewall.managedRulesets.map((r) => [r, true])),
      ipBlocks: vercel.firewall.ipBlocks.map((ip) => ({ ip, action: 'deny' as const })),
    });
  }
  return { secrets, databaseHost, redisHost };
}
