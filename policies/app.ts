import { boolean, text, textList } from './lib/config.js';
import type { Violation } from './lib/define.js';
import { ofType, resourcePolicy, stackPolicy } from './lib/define.js';
import { envScope, envVarOf, keyMatcher } from './lib/env-vars.js';
import { TYPES } from './lib/resources.js';
import type { Plain } from './lib/values.js';
import { asBoolean, asMap, asString, isUnknown, quote } from './lib/values.js';

export const httpCors = resourcePolicy({
  id: 'http.cors',
  remediation: 'List the origins that may call the API (prodcheck:http.cors.allowedOrigins) in the CORS env var; never "*".',
  types: [TYPES.vercelEnv],
  config: { keyPattern: text('CORS|ALLOWED_ORIGINS', 'Env vars holding the CORS allowlist (a regular expression over the name).') },
  outOfScope: envScope((key, c) => keyMatcher([], c.keyPattern)(key), (c) => `matching /${c.keyPattern}/`),
  check(r, config) {
    const v = envVarOf(r);
    if (!v || !keyMatcher([], config.keyPattern)(v.key) || typeof v.value !== 'string') return [];
    const origins = v.value.split(/[\s,]+/).filter(Boolean);
    return origins.includes('*') ? [`${v.key} must list the allowed origins, not "*" (found ${quote(v.value)})`] : [];
  },
});

export const httpWebhookEndpoint = resourcePolicy({
  id: 'http.webhook.endpoint',
  remediation: 'Give every webhook and callback URL an https:// address on the production domain.',
  types: [TYPES.stripeWebhook, TYPES.vercelEnv],
  config: { keyPattern: text('WEBHOOK_URL|CALLBACK_URL|REDIRECT_URI', 'Env vars holding a webhook or callback URL (a regular expression over the name).') },
  outOfScope: envScope((key, c) => keyMatcher([], c.keyPattern)(key), (c) => `matching /${c.keyPattern}/`),
  check(r, config) {
    let label = 'url';
    let url: string | undefined;
    if (r.type === TYPES.stripeWebhook) {
      const value = asString(r.props.url);
      url = typeof value === 'string' ? value : undefined;
    } else {
      const v = envVarOf(r);
      if (!v || !keyMatcher([], config.keyPattern)(v.key)) return [];
      label = v.key;
      url = typeof v.value === 'string' ? v.value : undefined;
    }
    if (url === undefined || url.startsWith('https://')) return [];
    return [`${label} must start with https:// (found ${quote(url)})`];
  },
});

/** `bot_protection` in the stack file is `botProtection` in the Vercel provider's inputs. */
function camel(name: string): string {
  return name.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A managed ruleset is on when any of its (sub-)rulesets is not explicitly inactive. */
function active(v: Plain | undefined): boolean {
  const m = asMap(v);
  if (m === undefined) return false;
  if (isUnknown(m)) return true;
  if ('active' in m) return m.active !== false;
  return Object.values(m).some(active);
}

export const vercelFirewall = stackPolicy({
  id: 'vercel.firewall',
  remediation: 'Add a vercel.FirewallConfig for the project with the managed rulesets of prodcheck:vercel.firewall.managedRulesets enabled.',
  config: {
    required: boolean(false, 'The stack must configure the Vercel firewall (true when prodcheck:vercel.firewall.enabled).'),
    managedRulesets: textList(['owasp'], 'Managed rulesets that must be active (from prodcheck:vercel.firewall.managedRulesets).'),
  },
  fromSpec: (spec, d) => ({ required: spec.vercel?.firewall?.enabled ?? false, managedRulesets: spec.vercel?.firewall?.managedRulesets ?? d.managedRulesets }),
  check(resources, config) {
    const firewalls = ofType(resources, TYPES.vercelFirewall);
    if (firewalls.length === 0) {
      if (!config.required) return { notApplicable: 'the stack configures no Vercel firewall' };
      return [{ message: `the stack enables the Vercel firewall (prodcheck:vercel.firewall) but has no ${TYPES.vercelFirewall}` }];
    }
    const violations: Violation[] = [];
    for (const fw of firewalls) {
      if (asBoolean(fw.props.enabled) === false) violations.push({ resource: fw, message: 'enabled must be true (found false)' });
      const rulesets = asMap(fw.props.managedRulesets);
      if (isUnknown(rulesets)) continue;
      const missing = config.managedRulesets.filter((name) => !active(rulesets?.[camel(name)]));
      if (missing.length > 0) violations.push({ resource: fw, message: `managed rulesets ${missing.join(', ')} must be active (found ${Object.keys(rulesets ?? {}).join(', ') || 'none'})` });
    }
    return violations;
  },
});

export const APP_POLICIES = [httpCors, httpWebhookEndpoint, vercelFirewall];
