import { randomBytes } from 'node:crypto';
import type { StackSpec } from '../../spec/index.js';
import { isSecretVar } from '../../spec/index.js';
import type { VercelApiServer } from '../../test/fixtures/vercel-api/index.js';
import { ADMIN_EMAILS_KEY, appUrlKeys, BCRYPT_ROUNDS_KEY, databaseUrlKeys, generatedSecretKeys, valueKeys } from '../../verify/vercel/env-keys.js';
import { webhookSecretVar } from '../../verify/stripe/app-secret.js';
import { FaultNotPlantableError } from '../fault.js';

/**
 * Plants one control's fault on a project seeded by seedProject; each touches only what its control
 * judges. env.redis-url is not here: the redis sandbox owns that control's fault (a read-only Upstash
 * token that can write), and a control is planted by one family.
 */
export type VercelFault = (api: VercelApiServer, spec: StackSpec) => void;

const onProduction = (api: VercelApiServer, key: string) => api.state.envs.find((e) => e.key === key && e.target.includes('production') && e.gitBranch === undefined);

/** The first of `keys` set for production, or a FaultNotPlantableError naming what the stack lacks. */
function firstSet(api: VercelApiServer, control: string, keys: readonly string[], what: string): string {
  const key = keys.find((k) => onProduction(api, k));
  if (!key) throw new FaultNotPlantableError(control, `the stack sets no ${what} for production`);
  return key;
}

/** Sets `key` for production to a plain `value`, adding the var when the stack does not declare it. */
function setPlain(api: VercelApiServer, key: string, value: string): void {
  if (onProduction(api, key)) api.updateEnv(key, { type: 'plain', value });
  else api.addEnv(key, value, { type: 'plain', target: ['production'] });
}

function moveHost(url: string): string {
  const u = new URL(url);
  u.hostname = 'elsewhere.invalid';
  return u.toString();
}

export const VERCEL_FAULTS: Readonly<Record<string, VercelFault>> = {
  'env.required-vars': (api, spec) => {
    // A var no other check reads, so that only this control notices it is gone.
    const judged = valueKeys(spec);
    const key = Object.entries(spec.env.vars).find(([k, v]) => !judged.has(k) && v.feature === undefined && onProduction(api, k))?.[0];
    if (!key) throw new FaultNotPlantableError('env.required-vars', 'every declared var is also judged by another check');
    api.removeEnv(key);
  },
  'env.targets': (api, spec) => {
    const entry = Object.entries(spec.env.vars).find(([k, v]) => v.forbiddenTargets.length > 0 && onProduction(api, k));
    if (!entry) throw new FaultNotPlantableError('env.targets', 'no env var lists forbiddenTargets');
    const [key, v] = entry;
    const env = onProduction(api, key);
    api.updateEnv(key, { target: [...new Set([...(env?.target ?? []), ...v.forbiddenTargets])] });
  },
  'env.secrets-manager': (api, spec) => {
    const judged = valueKeys(spec);
    const key = firstSet(
      api,
      'env.secrets-manager',
      Object.entries(spec.env.vars)
        .filter(([k, v]) => isSecretVar(k, v) && !judged.has(k))
        .map(([k]) => k),
      'secret var that no other check reads',
    );
    api.updateEnv(key, { type: 'plain' });
  },
  'env.production-mode': (api, spec) => {
    if (spec.app.environment !== 'production') throw new FaultNotPlantableError('env.production-mode', `the stack is a ${spec.app.environment} stack`);
    setPlain(api, 'NODE_ENV', 'development');
  },
  'env.app-url': (api, spec) => {
    const key = appUrlKeys(spec).find((k) => onProduction(api, k)) ?? 'NEXT_PUBLIC_APP_URL';
    setPlain(api, key, `http://${spec.app.domain}`);
  },
  'env.database-url': (api, spec) => {
    const key = firstSet(api, 'env.database-url', databaseUrlKeys(spec), 'database URL var');
    const env = onProduction(api, key);
    if (env) api.updateEnv(key, { type: 'encrypted', value: moveHost(env.value) });
  },
  'env.secret-strength': (api, spec) => {
    const key = firstSet(api, 'env.secret-strength', generatedSecretKeys(spec), 'generated secret');
    // Encrypted is still allowed by env.secrets-manager; a readable 12-character value is weak.
    api.updateEnv(key, { type: 'encrypted', value: 'short-secret' });
  },
  'env.admin-emails': (api, spec) => {
    if (spec.env.adminEmails.length === 0) throw new FaultNotPlantableError('env.admin-emails', 'the stack lists no admin emails');
    setPlain(api, ADMIN_EMAILS_KEY, 'intruder@example.net');
  },
  'env.bcrypt-rounds': (api) => {
    // 3 is below bcrypt's minimum the spec allows (4) and below the 10-12 band: wrong for every stack.
    setPlain(api, BCRYPT_ROUNDS_KEY, '3');
  },
  // The Stripe endpoint was re-created (a new signing secret) a day after the var was last set: the var still
  // holds the old endpoint's secret. Judged by the stripe family (the endpoint's creation time against the var's).
  'env.stripe-webhook-secret': (api, spec) => {
    const key = firstSet(api, 'env.stripe-webhook-secret', [webhookSecretVar(spec)], 'Stripe webhook secret var (env.vars from: stripe.webhookSecret)');
    const env = onProduction(api, key);
    if (!env) return;
    api.removeEnv(key);
    api.addEnv(key, `whsec_${randomBytes(24).toString('base64')}`, { type: env.type, target: env.target, at: Date.now() - 86_400_000 });
  },
  'vercel.project': (api, spec) => {
    api.setProject({ framework: spec.vercel?.framework === 'vite' ? 'nextjs' : 'vite' });
  },
  'vercel.git-integration': (api, spec) => {
    const git = spec.vercel?.git;
    if (!git) throw new FaultNotPlantableError('vercel.git-integration', 'the stack declares no git repository');
    api.setProject({ link: { type: git.type, repo: git.repo, productionBranch: `${git.productionBranch}-stale` } });
  },
  'vercel.domain': (api, spec) => {
    api.updateDomain(spec.vercel?.domain ?? spec.app.domain, { verified: false });
  },
  'vercel.firewall': (api, spec) => {
    if (!spec.vercel?.firewall?.enabled) throw new FaultNotPlantableError('vercel.firewall', 'the stack does not ask for the firewall');
    const fw = api.state.firewall;
    if (fw) api.setFirewall({ ...fw, enabled: false });
  },
  'vercel.deployment.ready': (api) => {
    api.addDeployment({ readyState: 'ERROR' });
  },
  // The live deployment throws on a route right after going live.
  'vercel.logs.no-errors': (api, spec) => {
    if (!spec.vercel?.logs) throw new FaultNotPlantableError('vercel.logs.no-errors', 'the stack asks nothing of the runtime logs (prodcheck:vercel.logs)');
    const live = api.state.deployments.find((d) => d.readyState === 'READY');
    if (!live) throw new FaultNotPlantableError('vercel.logs.no-errors', 'no READY production deployment');
    api.addLog({ level: 'error', message: 'TypeError: Cannot read properties of undefined (reading "id")', timestampInMs: live.createdAt + 30_000, requestPath: '/api/chat' }, live.uid);
  },
  // The staging environment was deleted to free a slot.
  'vercel.staging-environment': (api, spec) => {
    if (!spec.vercel?.staging) throw new FaultNotPlantableError('vercel.staging-environment', 'the stack asks for no staging environment (prodcheck:vercel.staging)');
    api.state.customEnvironments = [];
  },
  // The log drain was disabled after a plan downgrade.
  'monitoring.logging': (api, spec) => {
    if (!spec.vercel?.logDrain) throw new FaultNotPlantableError('monitoring.logging', 'the stack asks for no log drain (prodcheck:vercel.logDrain)');
    for (const d of api.state.drains) {
      d.status = 'disabled';
      d.disabledReason = 'account-plan-downgrade';
    }
  },
  // The start-up step that logs the first marker never ran.
  'vercel.logs.marker': (api, spec) => {
    const marker = spec.vercel?.logs?.markers[0];
    if (marker === undefined) throw new FaultNotPlantableError('vercel.logs.marker', 'the stack names no log marker (prodcheck:vercel.logs.markers)');
    for (const [uid, lines] of api.state.runtimeLogs) api.state.runtimeLogs.set(uid, lines.filter((l) => !l.message.includes(marker)));
  },
  'vercel.rollback-target': (api) => {
    const newestReady = api.state.deployments.find((d) => d.readyState === 'READY');
    api.state.deployments = api.state.deployments.filter((d) => d.readyState !== 'READY' || d === newestReady);
  },
};
