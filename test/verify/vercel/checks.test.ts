import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import type { EnvTarget, StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Check } from '../../../verify/types.js';
import * as checks from '../../../verify/vercel/checks.js';
import {
  envAdminEmails,
  envAppUrl,
  envBcryptRounds,
  envDatabaseUrl,
  envProductionMode,
  envRedisUrl,
  envRequiredVars,
  envSecretStrength,
  envSecretsManager,
  envTargets,
  vercelDeploymentReady,
  vercelDomain,
  vercelFirewall,
  vercelGitIntegration,
  vercelProject,
  vercelRollbackTarget,
  VERCEL_CHECKS,
} from '../../../verify/vercel/checks.js';
import type { EnvType, VercelEnvVar, VercelSnapshot } from '../../../verify/vercel/collect.js';
import { envValueOf } from '../../../verify/vercel/collect.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' },
  env: {
    features: { sentry: true, analytics: false },
    adminEmails: ['ops@example.com', 'cto@example.com'],
    bcryptRounds: 12,
    vars: {
      AUTH_SECRET: { from: 'generated' },
      JWT_SECRET: { from: 'generated' },
      POSTGRES_URL: { from: 'postgres.url' },
      REDIS_URL: { from: 'redis.url' },
      KV_REST_API_URL: { from: 'redis.restUrl' },
      KV_REST_API_TOKEN: { from: 'redis.restToken', targets: ['production', 'preview'], forbiddenTargets: ['development'] },
      NODE_ENV: { from: 'value', value: 'production' },
      NEXT_PUBLIC_APP_URL: { from: 'app.url', targets: ['production', 'preview'] },
      STRIPE_SECRET_KEY: { from: 'config' },
      SENTRY_DSN: { from: 'config', feature: 'sentry' },
      ANALYTICS_ID: { from: 'config', feature: 'analytics' },
    },
  },
  postgres: { provider: 'rds' },
  redis: { provider: 'elasticache' },
  vercel: {
    project: 'chat',
    git: { type: 'github', repo: 'example-org/chat', productionBranch: 'main' },
    firewall: { enabled: true, managedRulesets: ['owasp'], ipBlocks: ['203.0.113.7'] },
  },
});

const redactor = new Redactor();
const strong = 'S'.repeat(20) + 'x'.repeat(24);
const other = 'T'.repeat(20) + 'y'.repeat(24);

/** An env entry as the collector builds it; `raw` is read back unless the type is sensitive. */
function env(key: string, type: EnvType, targets: EnvTarget[], raw?: string): VercelEnvVar {
  if (raw === undefined) return { key, type, targets };
  if (type === 'sensitive') return { key, type, targets, value: { kind: 'unreadable', reason: 'sensitive values are write-only' } };
  return { key, type, targets, value: envValueOf(key, raw, spec, redactor) };
}

const cleanEnvs: VercelEnvVar[] = [
  env('AUTH_SECRET', 'sensitive', ['production'], strong),
  env('JWT_SECRET', 'sensitive', ['production'], other),
  env('POSTGRES_URL', 'sensitive', ['production'], 'x'),
  env('REDIS_URL', 'encrypted', ['production'], 'rediss://default:pw-123456@cache.internal:6379'),
  env('KV_REST_API_URL', 'plain', ['production'], 'https://kv.example.com'),
  env('KV_REST_API_TOKEN', 'sensitive', ['production', 'preview']),
  env('NODE_ENV', 'plain', ['production'], 'production'),
  env('NEXT_PUBLIC_APP_URL', 'plain', ['production', 'preview'], 'https://chat.example.com'),
  env('STRIPE_SECRET_KEY', 'sensitive', ['production']),
  env('SENTRY_DSN', 'encrypted', ['production']),
  env('ADMIN_EMAILS', 'plain', ['production'], 'ops@example.com, cto@example.com'),
  env('BCRYPT_ROUNDS', 'plain', ['production'], '12'),
];

type Found = Extract<VercelSnapshot, { project: object }>;

const clean: Found = {
  project: { id: 'prj_1', name: 'chat', framework: 'nextjs', link: { type: 'github', repo: 'example-org/chat', productionBranch: 'main' } },
  envs: { ok: true, value: cleanEnvs },
  domain: { name: 'chat.example.com', info: { ok: true, value: { verified: true, redirect: null, verification: [] } } },
  logs: undefined,
  drains: undefined,
  customEnvironments: undefined,
  deployments: {
    ok: true,
    value: {
      list: [
        { uid: 'dpl_new', readyState: 'READY', createdAt: 3 },
        { uid: 'dpl_old', readyState: 'READY', createdAt: 2 },
      ],
      complete: true,
    },
  },
  firewall: { ok: true, value: { enabled: true, managedRules: { owasp: true }, ipRules: [{ ip: '203.0.113.7', action: 'deny' }] } },
  expect: { databaseHost: 'db.internal', redisHost: 'cache.internal' },
};

const snap = (over: Partial<Found>): Found => ({ ...clean, ...over });
/** The clean env list with `key`'s entries replaced (or removed, without replacements). */
const withEnvs = (key: string, ...replacements: VercelEnvVar[]): Found =>
  snap({ envs: { ok: true, value: [...cleanEnvs.filter((e) => e.key !== key), ...replacements] } });
const missing: VercelSnapshot = { project: null, lookedUp: 'chat', why: 'HTTP 404' };

function run(check: Check<VercelSnapshot>, s: VercelSnapshot = clean, sp: StackSpec = spec): [string, string][] {
  return check.evaluate(s, sp).map((f) => [f.status, f.message]);
}

describe('vercel checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, in VERCEL_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<VercelSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(VERCEL_CHECKS.map((c) => c.id).sort()).toEqual(exported.map(([, c]) => c.id).sort());
    expect(VERCEL_CHECKS).toHaveLength(21);
    for (const c of VERCEL_CHECKS) {
      expect(getControl(c.id).stages).toContain('V');
      expect(c.target).toBe('vercel');
    }
    expect(VERCEL_CHECKS.filter((c) => c.connectivity).map((c) => c.id)).toEqual(['vercel.project']);
  });

  it('passes or skips every check on the clean snapshot', () => {
    const statuses = VERCEL_CHECKS.flatMap((c) => c.evaluate(clean, spec).map((f) => `${c.id} ${f.resource ?? ''}: ${f.status}`));
    expect(statuses.filter((s) => s.endsWith('fail') || s.endsWith('error'))).toEqual([]);
    // The clean spec asks nothing of the runtime logs (no prodcheck:vercel.logs).
    expect(statuses.filter((s) => s.endsWith('skip'))).toEqual(['vercel.logs.no-errors : skip', 'vercel.logs.marker : skip', 'monitoring.logging : skip', 'vercel.staging-environment : skip', 'env.required-vars ANALYTICS_ID: skip', 'monitoring.apm : skip']);
  });

  it('skips everything but vercel.project when the project does not exist', () => {
    expect(run(vercelProject, missing)).toEqual([['fail', 'The Vercel project "chat" must exist (the API has no such project).']]);
    for (const c of VERCEL_CHECKS.filter((x) => x !== vercelProject)) expect(run(c, missing)).toEqual([['skip', 'Skipped: the Vercel project "chat" was not found.']]);
  });

  it('errors every env check when the env list could not be read', () => {
    const s = snap({ envs: { ok: false, error: 'the Vercel token may not read the project env vars (HTTP 403)' } });
    for (const c of VERCEL_CHECKS.filter((x) => x.id.startsWith('env.'))) {
      expect(run(c, s)).toEqual([['error', 'Could not read the project env vars (the Vercel token may not read the project env vars (HTTP 403)).']]);
    }
  });
});

describe('env.required-vars', () => {
  it('passes vars set for their targets and skips feature-gated ones whose feature is off', () => {
    const r = run(envRequiredVars);
    expect(r).toContainEqual(['pass', 'NEXT_PUBLIC_APP_URL is set for production, preview.']);
    expect(r).toContainEqual(['pass', 'SENTRY_DSN is set for production.']);
    expect(r).toContainEqual(['skip', 'ANALYTICS_ID is not required: feature "analytics" is off.']);
  });

  it('fails a var missing from a target, or from every target', () => {
    const previewOnly = withEnvs('NEXT_PUBLIC_APP_URL', env('NEXT_PUBLIC_APP_URL', 'plain', ['preview'], 'https://chat.example.com'));
    expect(run(envRequiredVars, previewOnly)).toContainEqual(['fail', 'NEXT_PUBLIC_APP_URL must be set for production, preview (found preview).']);
    expect(run(envRequiredVars, withEnvs('SENTRY_DSN'))).toContainEqual(['fail', 'SENTRY_DSN must be set for production (found it in no target).']);
  });

  it('does not count a branch override as the whole preview target', () => {
    const branch: VercelEnvVar = { key: 'KV_REST_API_TOKEN', type: 'sensitive', targets: ['preview'], gitBranch: 'feature-x' };
    const s = withEnvs('KV_REST_API_TOKEN', env('KV_REST_API_TOKEN', 'sensitive', ['production']), branch);
    expect(run(envRequiredVars, s)).toContainEqual(['fail', 'KV_REST_API_TOKEN must be set for production, preview (found production).']);
  });
});

describe('env.targets', () => {
  it('passes a var kept out of its forbidden targets', () => {
    expect(run(envTargets)).toEqual([['pass', 'KV_REST_API_TOKEN is absent from development, as the stack requires.']]);
  });

  it('fails a var present in a forbidden target, branch overrides included', () => {
    expect(run(envTargets, withEnvs('KV_REST_API_TOKEN', env('KV_REST_API_TOKEN', 'sensitive', ['production', 'development'])))).toEqual([
      ['fail', 'KV_REST_API_TOKEN must not be set for development (found it in production, development).'],
    ]);
    const sp = stackSpecSchema.parse({ ...specInput(), env: { vars: { KV_URL: { from: 'redis.url', forbiddenTargets: ['preview'] } } } });
    const s = snap({ envs: { ok: true, value: [{ key: 'KV_URL', type: 'sensitive', targets: ['preview'], gitBranch: 'dev' }] } });
    expect(run(envTargets, s, sp)).toEqual([['fail', 'KV_URL must not be set for preview (found it in preview).']]);
  });

  it('skips when no var lists forbidden targets', () => {
    const sp = stackSpecSchema.parse({ ...specInput(), env: { vars: { NODE_ENV: { from: 'value', value: 'production' } } } });
    expect(run(envTargets, clean, sp)).toEqual([['skip', 'No env var of the stack lists forbiddenTargets (prodcheck:env.vars.<KEY>.forbiddenTargets).']]);
  });
});

describe('env.secrets-manager', () => {
  it('passes secret vars stored sensitive or encrypted', () => {
    const r = run(envSecretsManager);
    expect(r).toContainEqual(['pass', 'AUTH_SECRET is stored as sensitive.']);
    expect(r).toContainEqual(['pass', 'REDIS_URL is stored as encrypted.']);
    expect(r.map(([, m]) => m.split(' ')[0])).toEqual(['AUTH_SECRET', 'JWT_SECRET', 'KV_REST_API_TOKEN', 'POSTGRES_URL', 'REDIS_URL', 'SENTRY_DSN', 'STRIPE_SECRET_KEY']);
  });

  it('fails a secret stored plain in any target', () => {
    const s = withEnvs('STRIPE_SECRET_KEY', env('STRIPE_SECRET_KEY', 'sensitive', ['production']), env('STRIPE_SECRET_KEY', 'plain', ['development']));
    expect(run(envSecretsManager, s)).toContainEqual(['fail', 'STRIPE_SECRET_KEY holds a secret and must be sensitive or encrypted (found plain for development).']);
  });
});

describe('env.production-mode', () => {
  it('passes NODE_ENV=production and judges BILLING_MODE when set for production', () => {
    expect(run(envProductionMode)).toEqual([['pass', 'NODE_ENV is production on the production target.']]);
    const s = snap({ envs: { ok: true, value: [...cleanEnvs, env('BILLING_MODE', 'plain', ['production'], 'test')] } });
    expect(run(envProductionMode, s)).toEqual([
      ['pass', 'NODE_ENV is production on the production target.'],
      ['fail', 'BILLING_MODE must be production on the production target (found test).'],
    ]);
  });

  it('fails another value or an unset declared key; a sensitive value is an error, not a pass', () => {
    expect(run(envProductionMode, withEnvs('NODE_ENV', env('NODE_ENV', 'plain', ['production'], 'development')))).toEqual([
      ['fail', 'NODE_ENV must be production on the production target (found development).'],
    ]);
    expect(run(envProductionMode, withEnvs('NODE_ENV'))).toEqual([['fail', 'NODE_ENV must be production on the production target (found it unset).']]);
    expect(run(envProductionMode, withEnvs('NODE_ENV', env('NODE_ENV', 'sensitive', ['production'], 'production')))).toEqual([
      ['error', 'Could not read NODE_ENV on production: sensitive values are write-only, so its value cannot be checked.'],
    ]);
  });

  it('skips a staging stack', () => {
    const sp = stackSpecSchema.parse({ ...specInput(), app: { name: 'chat', domain: 'chat.example.com', environment: 'staging' } });
    expect(run(envProductionMode, clean, sp)).toEqual([['skip', 'The stack is a staging stack: production mode is judged on production stacks only.']]);
  });
});

describe('env.app-url', () => {
  it('passes the production URL, trailing slash or not', () => {
    expect(run(envAppUrl)).toEqual([['pass', 'NEXT_PUBLIC_APP_URL is https://chat.example.com on the production target.']]);
    expect(run(envAppUrl, withEnvs('NEXT_PUBLIC_APP_URL', env('NEXT_PUBLIC_APP_URL', 'plain', ['production'], 'https://chat.example.com/')))).toEqual([
      ['pass', 'NEXT_PUBLIC_APP_URL is https://chat.example.com on the production target.'],
    ]);
  });

  it('fails http or another host, also on conventional keys the stack does not declare', () => {
    expect(run(envAppUrl, withEnvs('NEXT_PUBLIC_APP_URL', env('NEXT_PUBLIC_APP_URL', 'plain', ['production'], 'http://chat.example.com')))).toEqual([
      ['fail', 'NEXT_PUBLIC_APP_URL must be https://chat.example.com on the production target (found http://chat.example.com).'],
    ]);
    const s = snap({ envs: { ok: true, value: [...cleanEnvs, env('NEXTAUTH_URL', 'plain', ['production'], 'https://chat-git-main.vercel.app')] } });
    expect(run(envAppUrl, s)).toContainEqual(['fail', 'NEXTAUTH_URL must be https://chat.example.com on the production target (found https://chat-git-main.vercel.app).']);
  });
});

describe('env.database-url', () => {
  const pg = (url: string) => withEnvs('POSTGRES_URL', env('POSTGRES_URL', 'encrypted', ['production'], url));

  it('passes a readable URL at the provisioned host with sslmode=require, and a sensitive one on presence', () => {
    expect(run(envDatabaseUrl, pg('postgres://app:pw-123456@db.internal:5432/chat?sslmode=require'))).toEqual([
      ['pass', 'POSTGRES_URL is a postgres:// URL at db.internal with sslmode=require.'],
    ]);
    expect(run(envDatabaseUrl)).toEqual([['pass', 'POSTGRES_URL is set for production; it is sensitive, so its host and TLS mode cannot be read back.']]);
  });

  it('fails another host, a missing sslmode or an unset var', () => {
    expect(run(envDatabaseUrl, pg('postgres://app:pw-123456@db.other:5432/chat'))).toEqual([
      ['fail', 'POSTGRES_URL must be a postgres:// URL at db.internal with sslmode=require (found postgres:// at db.other, sslmode unset).'],
    ]);
    expect(run(envDatabaseUrl, withEnvs('POSTGRES_URL'))).toEqual([['fail', 'POSTGRES_URL must be set for production (found it unset).']]);
  });

  it('says the host was not compared when targets name no expected host', () => {
    expect(run(envDatabaseUrl, { ...pg('postgres://app:pw-123456@db.internal/chat?sslmode=verify-full'), expect: {} })).toEqual([
      ['pass', 'POSTGRES_URL is a postgres:// URL with sslmode=require (host db.internal not compared: set targets vercel.expect.databaseHost).'],
    ]);
  });
});

describe('env.redis-url', () => {
  it('passes rediss:// at the provisioned host and an https REST URL', () => {
    expect(run(envRedisUrl)).toEqual([
      ['pass', 'REDIS_URL is a rediss:// URL at cache.internal.'],
      ['pass', 'KV_REST_API_URL is a https:// URL.'],
    ]);
  });

  it('fails redis:// when the stack requires TLS, and a plain-http REST URL', () => {
    const s = withEnvs('REDIS_URL', env('REDIS_URL', 'encrypted', ['production'], 'redis://default:pw-123456@cache.internal:6379'));
    expect(run(envRedisUrl, s)[0]).toEqual(['fail', 'REDIS_URL must be a rediss:// URL at cache.internal (found redis:// at cache.internal).']);
    const rest = withEnvs('KV_REST_API_URL', env('KV_REST_API_URL', 'plain', ['production'], 'http://kv.example.com'));
    expect(run(envRedisUrl, rest)[1]).toEqual(['fail', 'KV_REST_API_URL must be a https:// URL (found http:// at kv.example.com).']);
  });
});

describe('env.secret-strength', () => {
  it('passes sensitive secrets, saying their strength cannot be read back', () => {
    expect(run(envSecretStrength)).toEqual([
      ['pass', 'AUTH_SECRET is set for production and sensitive (sensitive values are write-only: its length and uniqueness cannot be read back).'],
      ['pass', 'JWT_SECRET is set for production and sensitive (sensitive values are write-only: its length and uniqueness cannot be read back).'],
    ]);
  });

  it('fails a readable, short or shared secret by fingerprint, never by value', () => {
    const weak = 'hunter2-hunter2';
    const s = snap({
      envs: { ok: true, value: [...cleanEnvs.filter((e) => !e.key.endsWith('_SECRET')), env('AUTH_SECRET', 'encrypted', ['production'], weak), env('JWT_SECRET', 'encrypted', ['production'], weak)] },
    });
    const findings = envSecretStrength.evaluate(s, spec);
    const print = 'len 15, hmac:' + (findings[0]?.message.match(/hmac:([0-9a-f]{12})/)?.[1] ?? '?');
    expect(findings.map((f) => [f.status, f.message])).toEqual([
      [
        'fail',
        `AUTH_SECRET must be a sensitive secret of at least 32 characters, unique to it (found stored as encrypted, not sensitive; 15 characters, fewer than 32 (${print}); the same value as JWT_SECRET (${print})).`,
      ],
      [
        'fail',
        `JWT_SECRET must be a sensitive secret of at least 32 characters, unique to it (found stored as encrypted, not sensitive; 15 characters, fewer than 32 (${print}); the same value as AUTH_SECRET (${print})).`,
      ],
    ]);
    expect(JSON.stringify(findings)).not.toContain(weak);
    expect(run(envSecretStrength, withEnvs('JWT_SECRET'))[1]).toEqual(['fail', 'JWT_SECRET must be set for production (found it unset).']);
  });
});

describe('env.admin-emails', () => {
  it('passes the same list in any order and case', () => {
    expect(run(envAdminEmails, withEnvs('ADMIN_EMAILS', env('ADMIN_EMAILS', 'plain', ['production'], 'CTO@example.com;ops@example.com')))).toEqual([
      ['pass', 'ADMIN_EMAILS lists exactly cto@example.com, ops@example.com.'],
    ]);
  });

  it('fails a missing or extra address', () => {
    expect(run(envAdminEmails, withEnvs('ADMIN_EMAILS', env('ADMIN_EMAILS', 'plain', ['production'], 'ops@example.com,intern@example.com')))).toEqual([
      ['fail', 'ADMIN_EMAILS must list exactly cto@example.com, ops@example.com (missing cto@example.com; extra intern@example.com).'],
    ]);
    expect(run(envAdminEmails, clean, stackSpecSchema.parse({ ...specInput(), env: {} }))).toEqual([['skip', 'The stack lists no admin emails (prodcheck:env.adminEmails).']]);
  });
});

describe('env.bcrypt-rounds', () => {
  it('passes the pinned value, or a value in 10-12 when the stack pins none', () => {
    expect(run(envBcryptRounds)).toEqual([['pass', 'BCRYPT_ROUNDS is 12 on the production target.']]);
    const unpinned = stackSpecSchema.parse({ ...specInput(), env: {} });
    expect(run(envBcryptRounds, withEnvs('BCRYPT_ROUNDS', env('BCRYPT_ROUNDS', 'plain', ['production'], '11')), unpinned)).toEqual([
      ['pass', 'BCRYPT_ROUNDS is 11 on the production target, within 10-12.'],
    ]);
  });

  it('fails another value or a non-number', () => {
    expect(run(envBcryptRounds, withEnvs('BCRYPT_ROUNDS', env('BCRYPT_ROUNDS', 'plain', ['production'], '8')))).toEqual([
      ['fail', 'BCRYPT_ROUNDS must be 12 on the production target (found 8).'],
    ]);
    const unpinned = stackSpecSchema.parse({ ...specInput(), env: {} });
    expect(run(envBcryptRounds, withEnvs('BCRYPT_ROUNDS', env('BCRYPT_ROUNDS', 'plain', ['production'], 'ten')), unpinned)).toEqual([
      ['fail', 'BCRYPT_ROUNDS must be between 10 and 12 on the production target (found "ten").'],
    ]);
    expect(run(envBcryptRounds, withEnvs('BCRYPT_ROUNDS'), unpinned)).toEqual([['skip', 'BCRYPT_ROUNDS is neither declared by the stack (prodcheck:env.bcryptRounds) nor set for production.']]);
  });
});

describe('vercel.project', () => {
  it('passes the named nextjs project linked to the repository', () => {
    expect(run(vercelProject)).toEqual([['pass', 'The Vercel project is a nextjs project named chat linked to example-org/chat.']]);
  });

  it('fails another framework or repository', () => {
    const s = snap({ project: { ...clean.project, framework: 'vite', link: { type: 'github', repo: 'someone/fork', productionBranch: 'main' } } });
    expect(run(vercelProject, s)).toEqual([
      ['fail', 'The Vercel project must be a nextjs project named chat linked to example-org/chat (found framework vite, linked to someone/fork).'],
    ]);
  });
});

describe('vercel.git-integration', () => {
  it('passes deployments from the production branch of the git provider', () => {
    expect(run(vercelGitIntegration)).toEqual([['pass', 'The Vercel project deploys from github, branch main.']]);
  });

  it('fails another branch or no git connection', () => {
    expect(run(vercelGitIntegration, snap({ project: { ...clean.project, link: { type: 'github', repo: 'example-org/chat', productionBranch: 'develop' } } }))).toEqual([
      ['fail', 'The Vercel project must deploy from github, branch main (found github, branch develop).'],
    ]);
    expect(run(vercelGitIntegration, snap({ project: { ...clean.project, link: null } }))).toEqual([
      ['fail', 'The Vercel project must deploy from github, branch main (found no git connection).'],
    ]);
  });
});

describe('vercel.domain', () => {
  it('passes an attached, verified domain', () => {
    expect(run(vercelDomain)).toEqual([['pass', 'chat.example.com is attached to the Vercel project and verified.']]);
  });

  it('fails an unverified or unattached domain; errors when it could not be read', () => {
    const unverified = snap({ domain: { name: 'chat.example.com', info: { ok: true, value: { verified: false, redirect: null, verification: ['TXT _vercel.example.com'] } } } });
    expect(run(vercelDomain, unverified)).toEqual([['fail', 'chat.example.com must be verified on Vercel (found it unverified: Vercel asks for TXT _vercel.example.com).']]);
    expect(run(vercelDomain, snap({ domain: { name: 'chat.example.com', info: { ok: true, value: null } } }))).toEqual([
      ['fail', 'chat.example.com must be attached to the Vercel project (found it not attached).'],
    ]);
    expect(run(vercelDomain, snap({ domain: { name: 'chat.example.com', info: { ok: false, error: 'HTTP 500' } } }))).toEqual([
      ['error', 'Could not read the project domain chat.example.com (HTTP 500).'],
    ]);
  });
});

describe('vercel.firewall', () => {
  it('passes an enabled firewall with the managed rulesets and IP blocks', () => {
    expect(run(vercelFirewall)).toEqual([['pass', 'The Vercel firewall is enabled, managed rulesets owasp active, denying 203.0.113.7.']]);
  });

  it('fails a disabled firewall, an inactive ruleset, a missing block, or no configuration', () => {
    const off = snap({ firewall: { ok: true, value: { enabled: false, managedRules: { owasp: false }, ipRules: [] } } });
    expect(run(vercelFirewall, off)).toEqual([
      ['fail', 'The Vercel firewall must be enabled, managed rulesets owasp active, denying 203.0.113.7 (found the firewall disabled, owasp inactive, 203.0.113.7 not denied).'],
    ]);
    expect(run(vercelFirewall, snap({ firewall: { ok: true, value: null } }))).toEqual([
      ['fail', 'The Vercel firewall must be enabled, managed rulesets owasp active, denying 203.0.113.7 (found no firewall configuration).'],
    ]);
  });
});

describe('vercel.deployment.ready and vercel.rollback-target', () => {
  const deployments = (...states: string[]): Found =>
    snap({ deployments: { ok: true, value: { list: states.map((readyState, i) => ({ uid: `dpl_${i}`, readyState, createdAt: 100 - i })), complete: true } } });

  it('passes a READY latest deployment with a READY predecessor', () => {
    expect(run(vercelDeploymentReady)).toEqual([['pass', 'The latest production deployment dpl_new is READY.']]);
    expect(run(vercelRollbackTarget)).toEqual([['pass', 'A previous READY production deployment (dpl_old) is available for rollback.']]);
  });

  it('fails a failed latest build, and a project with a single READY deployment', () => {
    expect(run(vercelDeploymentReady, deployments('ERROR', 'READY', 'READY'))).toEqual([['fail', 'The latest production deployment must be READY (found dpl_0 ERROR).']]);
    expect(run(vercelRollbackTarget, deployments('ERROR', 'READY', 'READY'))).toEqual([['pass', 'A previous READY production deployment (dpl_2) is available for rollback.']]);
    expect(run(vercelRollbackTarget, deployments('READY', 'ERROR'))).toEqual([['fail', 'A previous READY production deployment must be available for rollback (found 1 READY).']]);
    expect(run(vercelDeploymentReady, deployments())).toEqual([['fail', 'The project must have a READY production deployment (found no production deployment).']]);
  });
});

function specInput(): Record<string, unknown> {
  return {
    app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' },
    postgres: { provider: 'rds' },
    redis: { provider: 'elasticache' },
    vercel: { project: 'chat' },
  };
}
