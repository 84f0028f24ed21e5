import { describe, expect, it } from 'vitest';
import { findControl } from '../../checklist/index.js';
import { controlsFor, mapItem, plain } from '../../checklist/mapping.js';
import { ELSEWHERE, LOCAL_ONLY, PEOPLE_TASK, RULES, SECTIONS } from '../../checklist/rules.js';

const map = (text: string, headings: string[] = [], parents: string[] = []) => controlsFor({ text, headings, parents });

describe('the mapping rules kept with the catalogue', () => {
  it('name only real catalogue controls', () => {
    for (const id of [...RULES.map((r) => r.control), ...SECTIONS.flatMap((s) => s.controls)]) expect(findControl(id), id).toBeDefined();
  });

  it('use no stateful (global or sticky) regular expression, which would match every other time', () => {
    const all = [PEOPLE_TASK, LOCAL_ONLY, ELSEWHERE, ...SECTIONS.map((s) => s.section), ...RULES.flatMap((r) => [r.item, r.within, r.unless, r.outside])];
    for (const re of all) if (re) expect(re.flags, String(re)).not.toMatch(/[gy]/);
  });

  it('read items without Markdown marks, in lower case', () => {
    expect(plain('**Max Memory Policy**: `allkeys-lru` see [docs](https://x.example)')).toBe('max memory policy: allkeys-lru see docs');
  });
});

describe('mapping items by their words and where they stand', () => {
  it.each([
    // wording from the seeds
    ['Configure eviction policy: `allkeys-lru`', ['Redis Setup', '1. Rate Limiting Cache'], [], ['redis.eviction-policy']],
    ['Verify indexes exist on:', ['Database Setup', '2. Database Indexes'], [], ['pg.indexes']],
    ['Persistence: Enabled', ['Vercel KV Setup Checklist', 'Step 3: Configure KV Settings (Optional)'], [], ['redis.persistence']],
    ['`users`', ['Pre-Deployment', 'Database'], ['All required tables exist:'], ['pg.schema.tables']],
    ['`STRIPE_SECRET_KEY` - Production secret key (starts with `sk_live_`)', ['Environment Variables', 'Stripe Configuration'], [], ['env.required-vars', 'env.stripe-secret-key']],
    // wording no seed uses
    ['Confirm Redis evicts with allkeys-lfu… no: allkeys-lru', ['Cache'], [], ['redis.eviction-policy']],
    ['Row-level security switched on for every tenant table', ['Database'], [], ['pg.rls']],
    ['Postgres answers `SELECT 1` from the verifier', ['Data'], [], ['pg.connectivity']],
    ['`Invoice.customerId`', ['Database'], ['These indexes are present:'], ['pg.indexes']],
    ['HTTP requests get redirected to HTTPS', ['Edge'], [], ['http.https-redirect']],
    ['Nothing secret ever landed in git history', ['Secrets'], [], ['repo.no-committed-secrets']],
  ])('%s → %j', (text, headings, parents, expected) => {
    expect(map(text, headings, parents)).toEqual(expected);
  });

  it('under an alerts heading or item, a condition maps to the alert rules, not to the state it names', () => {
    expect(map('Database unreachable', ['Alert Thresholds', 'Critical (Page immediately)'])).toEqual(['monitoring.alerts']);
    expect(map('SSL expiration', ['Deployment', 'Monitoring & Observability'], ['Alerts are configured for:'])).toEqual(['monitoring.alerts']);
    expect(map('Database connections stable', ['Rollback Plan', 'Rollback Verification'])).toEqual(['pg.connectivity']);
    // An outage there is what the external uptime check (and its alert channel) catches.
    expect(map('Site down (> 5 minute outage)', ['Alert Thresholds', 'Critical (Page immediately)'])).toEqual(['monitoring.uptime']);
    expect(map('Service downtime', ['Monitoring'], ['Alerts are configured for:'])).toEqual(['monitoring.uptime']);
  });

  it('leaves decisions, sign-offs, incident steps and tasks for people unmapped', () => {
    expect(map('Error rate > 10%', ['Rollback Plan', 'When to Rollback'])).toEqual([]);
    expect(map('Tech Lead', ['Production Deployment Checklist', 'Sign-Off'])).toEqual([]);
    expect(map('Check KV latency in Storage → Metrics', ['Rollback Plan', 'Scenario 3: Performance Degradation'])).toEqual([]);
    expect(map('Document backup retention policy', ['Database Setup', '3. Database Backup'])).toEqual([]);
    expect(map('New user signups', ['Metrics to Track', 'Business Metrics'])).toEqual([]);
  });

  it('does not take a purpose or a neighbouring word for a claim', () => {
    expect(map('`REDIS_URL` - Redis connection string for rate limiting', ['Environment Variables', 'Required Variables'])).toEqual(['env.required-vars', 'env.redis-url']);
    expect(map('**Billing enabled**: Payment method added', ['Pre-Deployment Checklist', 'Vercel Account Setup'])).toEqual([]);
    expect(map('**Total Vercel Cost**: ~$20/month (Pro plan base)', ['Monitoring Setup', 'Monthly Cost Review'])).toEqual([]);
    expect(map('At least 2 models are configured', ['Pre-Deployment', 'LiteLLM Configuration'])).toEqual(['llm.litellm.models']);
    expect(map('**Type-check passing**: Zero new TypeScript errors', ['Pre-Deployment Checklist', 'Code Readiness'])).toEqual(['ci.checks-passing']);
  });
});

describe('rules that read meaning, not the seeds\' phrasing', () => {
  it.each([
    ['`NEXT_PUBLIC_SENTRY_DSN`', ['Environment Variables'], [], ['env.required-vars', 'env.sentry-dsn']],
    ['`SUPABASE_SERVICE_KEY`', ['Environment Variables'], [], ['env.required-vars', 'env.supabase-keys']],
    ['`VITE_STRIPE_PUBLISHABLE_KEY` (live key)', ['Environment Variables'], [], ['env.required-vars', 'env.stripe-publishable-key']],
    ['Set `UPSTASH_REDIS_REST_URL` in production', ['Deploy'], [], ['env.required-vars', 'env.redis-url']],
    ['`NEXT_PUBLIC_SITE_URL`', ['Required Variables'], [], ['env.required-vars', 'env.app-url']],
    ['Point-in-time recovery configured', ['Database'], [], ['pg.backups.enabled']],
    ['No wildcard (`*`) origins in production', ['CORS'], [], ['http.cors']],
    ['Verify webhook is receiving events', ['After Deployment'], [], ['stripe.webhook.delivery']],
  ])('%s → %j', (text, headings, parents, expected) => {
    expect(map(text, headings, parents)).toEqual(expected);
  });

  it('takes a variable set on another platform, or on a developer machine, as no evidence about Vercel', () => {
    expect(map('`STRIPE_SECRET_KEY` set in Railway', ['Environment Variables'])).toEqual([]);
    expect(map('Update `STRIPE_SECRET_KEY` = `sk_live_...`', ['Stripe Live Mode', 'Step 3: Update Supabase Secrets'])).toEqual([]);
    expect(map('Add `REDIS_URL=` (your Redis URL)', ['Upstash Redis Setup', '5. Add to Local Environment'])).toEqual([]);
    expect(map('Add `REDIS_URL`', ['Upstash Redis Setup', '4. Add to Vercel'])).toEqual(['env.required-vars', 'env.redis-url']);
  });

  it('leaves open-ended work, console steps and recurring tasks to people, whatever they mention', () => {
    for (const text of ['Monitor Redis memory usage', 'Review Row Level Security policies', 'Analyze rate limiting effectiveness', 'Track error rates', 'Copy Secret Key: `sk_live_...`', 'Click "Add endpoint"', 'Check Upstash Redis analytics', 'Rotate `API_SECRET_SALT` regularly', 'Sign up for Sentry.io (free tier)'])
      expect(map(text, ['Production Checklist']), text).toEqual([]);
    expect(map('Test rate limiting after updates', ['Maintenance Schedule', 'Monthly:'])).toEqual([]);
  });

  it('explains each mapping by its rule and words, and each manual item by its reason', () => {
    expect(mapItem({ text: 'Row-level security switched on for every tenant table', headings: ['Database'], parents: [] })).toEqual({
      controls: [{ control: 'pg.rls', why: 'pg.rls rule: the words "row-level security"' }],
    });
    expect(mapItem({ text: 'Monitor rate limiting effectiveness', headings: [], parents: [] }).manual).toBe(
      '"monitor" is work for a person (monitor, review, plan, a step in a console…), whatever system it names',
    );
    expect(mapItem({ text: '`STRIPE_SECRET_KEY` set in Railway', headings: [], parents: [] }).manual).toBe('it is about "railway", and prodcheck reads the environment from Vercel');
    expect(mapItem({ text: 'Tech Lead', headings: ['Sign-Off'], parents: [] }).manual).toBe('under "sign-off": a decision or sign-off is a person\'s call');
  });
});

