import { describe, expect, it } from 'vitest';
import { httpCors, httpWebhookEndpoint, vercelFirewall } from '../../policies/app.js';
import { TYPES } from '../../policies/lib/resources.js';
import { ciRequiredChecks } from '../../policies/repo.js';
import { envVar, res, runResource, runStack } from './harness.js';

describe('http.cors', () => {
  it('passes an allowlist and fails "*"', async () => {
    expect((await runResource(httpCors, envVar('CORS_ALLOWED_ORIGINS', 'https://chat.example.com,https://admin.example.com'))).violations).toEqual([]);
    expect((await runResource(httpCors, envVar('ALLOWED_ORIGINS', 'https://chat.example.com, *'))).violations).toEqual(['ALLOWED_ORIGINS must list the allowed origins, not "*" (found "https://chat.example.com, *")']);
  });
});

describe('http.webhook.endpoint', () => {
  it('passes https webhook and callback URLs and fails plain http', async () => {
    expect((await runResource(httpWebhookEndpoint, res(TYPES.stripeWebhook, 'hook', { url: 'https://chat.example.com/api/webhooks/stripe' }))).violations).toEqual([]);
    expect((await runResource(httpWebhookEndpoint, res(TYPES.stripeWebhook, 'hook', { url: 'http://chat.example.com/api/webhooks/stripe' }))).violations).toEqual([
      'url must start with https:// (found "http://chat.example.com/api/webhooks/stripe")',
    ]);
    expect((await runResource(httpWebhookEndpoint, envVar('SLACK_WEBHOOK_URL', 'http://hooks.example.com/x'))).violations).toEqual(['SLACK_WEBHOOK_URL must start with https:// (found "http://hooks.example.com/x")']);
  });
});

describe('vercel.firewall', () => {
  const owasp = { gen: { action: 'deny', active: true }, sqli: { action: 'deny', active: true } };
  const fw = (props: Record<string, unknown>) => res(TYPES.vercelFirewall, 'chat-app-firewall', { enabled: true, managedRulesets: { owasp }, ...props });

  it('passes an enabled firewall with the OWASP rulesets active', async () => {
    expect((await runStack(vercelFirewall, [fw({})], { required: true })).violations).toEqual([]);
  });

  it('fails a disabled firewall, inactive rulesets and a missing firewall the stack asks for', async () => {
    expect((await runStack(vercelFirewall, [fw({ enabled: false, managedRulesets: { owasp: { gen: { action: 'deny', active: false } } } })], { required: true })).violations).toEqual([
      'enabled must be true (found false)',
      'managed rulesets owasp must be active (found owasp)',
    ]);
    expect((await runStack(vercelFirewall, [], { required: true })).violations).toEqual([
      'the stack enables the Vercel firewall (prodcheck:vercel.firewall) but has no vercel:index/firewallConfig:FirewallConfig',
    ]);
  });
});

describe('ci.required-checks', () => {
  it('passes branch protection requiring the CI jobs and fails one that misses the gate', async () => {
    const protection = (contexts: string[]) => res(TYPES.branchProtection, 'main', { pattern: 'main', requiredStatusChecks: [{ strict: true, contexts }] });
    expect((await runResource(ciRequiredChecks, protection(['test', 'gate']))).violations).toEqual([]);
    expect((await runResource(ciRequiredChecks, protection(['test']))).violations).toEqual(['requiredStatusChecks must include gate (found test)']);
  });

  it("judges the production branch's protection against prodcheck:ci.requiredChecks, and no other branch", async () => {
    const protection = (pattern: string, contexts: string[]) => res(TYPES.branchProtection, pattern, { pattern, requiredStatusChecks: [{ strict: true, contexts }] });
    const config = { checks: ['test', 'typecheck', 'lint', 'build'], branch: 'main' };
    expect((await runResource(ciRequiredChecks, protection('main', ['test', 'typecheck', 'lint', 'build']), config)).violations).toEqual([]);
    expect((await runResource(ciRequiredChecks, protection('main', ['test', 'lint']), config)).violations).toEqual(['requiredStatusChecks must include typecheck, build (found test, lint)']);
    expect((await runResource(ciRequiredChecks, protection('release/*', []), config)).violations).toEqual([]);
  });
});
