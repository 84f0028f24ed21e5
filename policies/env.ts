import { integer, text, textList } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { envScope, envVarOf, inProduction, keyMatcher } from './lib/env-vars.js';
import { TYPES } from './lib/resources.js';
import { isUnknown, quote } from './lib/values.js';

export const envProductionMode = resourcePolicy({
  id: 'env.production-mode',
  remediation: 'Set NODE_ENV (and BILLING_MODE where the app has one) to "production" in the production target: from: value, value: production.',
  types: [TYPES.vercelEnv],
  config: {
    keys: textList(['NODE_ENV', 'BILLING_MODE'], 'Env vars that must read "production" in the production target.'),
    value: text('production', 'The value they must have.'),
  },
  outOfScope: envScope((key, c) => c.keys.includes(key), (c) => c.keys.join(', ')),
  check(r, config) {
    const v = envVarOf(r);
    if (!v || !config.keys.includes(v.key) || inProduction(v) !== true) return [];
    if (isUnknown(v.value) || v.value === config.value) return [];
    return [`${v.key} must be ${quote(config.value)} in the production target (found ${v.value === undefined ? 'no value' : quote(v.value)})`];
  },
});

/** `https://chat.example.com` or `https://www.example.com/`: the origin a production URL var may hold. */
function urlProblem(value: string, domain: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an absolute https:// URL (found ${quote(value)})`;
  }
  if (url.protocol !== 'https:') return `must use https:// (found ${quote(value)})`;
  if (domain !== '' && url.hostname !== domain && url.hostname !== `www.${domain}`) return `must be on the production domain ${domain} (found ${quote(value)})`;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return `must be the bare origin https://${url.host} (found ${quote(value)})`;
  return undefined;
}

export const envAppUrl = resourcePolicy({
  id: 'env.app-url',
  remediation: 'Derive the app URL vars from the stack (from: app.url), which is https:// on prodcheck:app.domain or its www host.',
  types: [TYPES.vercelEnv],
  config: {
    keys: textList(['NEXT_PUBLIC_APP_URL', 'NEXTAUTH_URL', 'AUTH_URL', 'APP_URL', 'NEXT_PUBLIC_SITE_URL'], 'Env vars that hold the public base URL of the app.'),
    domain: text('', 'The production domain (from prodcheck:app.domain); empty: only https is checked.'),
  },
  fromSpec: (spec) => ({ domain: spec.app.domain }),
  outOfScope: envScope((key, c) => c.keys.includes(key), (c) => c.keys.join(', ')),
  check(r, config) {
    const v = envVarOf(r);
    if (!v || !config.keys.includes(v.key) || inProduction(v) !== true || isUnknown(v.value)) return [];
    const problem = v.value === undefined ? 'must be set (found no value)' : urlProblem(v.value, config.domain);
    return problem ? [`${v.key} ${problem}`] : [];
  },
});

export const envBcryptRounds = resourcePolicy({
  id: 'env.bcrypt-rounds',
  remediation: 'Set prodcheck:env.bcryptRounds between 10 and 12: fewer is brute-forceable, more makes every login slow.',
  types: [TYPES.vercelEnv],
  config: {
    key: text('BCRYPT_ROUNDS', 'The env var holding the bcrypt cost factor.'),
    min: integer(10, 'Lowest acceptable cost factor.', { minimum: 4, maximum: 31 }),
    max: integer(12, 'Highest acceptable cost factor.', { minimum: 4, maximum: 31 }),
  },
  outOfScope: envScope((key, c) => key === c.key, (c) => c.key),
  check(r, config) {
    const v = envVarOf(r);
    if (!v || v.key !== config.key || isUnknown(v.value)) return [];
    const rounds = v.value === undefined ? NaN : Number(v.value);
    if (Number.isInteger(rounds) && rounds >= config.min && rounds <= config.max) return [];
    return [`${v.key} must be an integer from ${config.min} to ${config.max} (found ${v.value === undefined ? 'no value' : quote(v.value)})`];
  },
});

export const envTargets = resourcePolicy({
  id: 'env.targets',
  remediation: 'Give KV_* vars targets [production] with development excluded (prodcheck:env.vars.<KEY>.targets / forbiddenTargets), so local runs never reach the production store.',
  types: [TYPES.vercelEnv],
  config: {
    keyPattern: text('^KV_', 'Env vars (a regular expression over the name) whose targets are checked.'),
    required: textList(['production'], 'Targets each such var must include.'),
    forbidden: textList(['development'], 'Targets each such var must exclude.'),
  },
  outOfScope: envScope((key, c) => keyMatcher([], c.keyPattern)(key), (c) => `matching /${c.keyPattern}/`),
  check(r, config) {
    const v = envVarOf(r);
    if (!v || !keyMatcher([], config.keyPattern)(v.key) || isUnknown(v.targets)) return [];
    const targets = v.targets;
    const missing = config.required.filter((t) => !targets.includes(t));
    const extra = config.forbidden.filter((t) => targets.includes(t));
    const out: string[] = [];
    if (missing.length > 0) out.push(`${v.key} targets must include ${missing.join(', ')} (found [${targets.join(', ')}])`);
    if (extra.length > 0) out.push(`${v.key} targets must not include ${extra.join(', ')} (found [${targets.join(', ')}])`);
    return out;
  },
});

export const ENV_POLICIES = [envProductionMode, envAppUrl, envBcryptRounds, envTargets];
