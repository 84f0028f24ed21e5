import { describe, expect, it } from 'vitest';
import { findControl } from '../../checklist/index.js';
import { controlsFor, plain } from '../../checklist/mapping.js';
import { PEOPLE_TASK, RULES, SECTIONS } from '../../checklist/rules.js';

const map = (text: string, headings: string[] = [], parents: string[] = []) => controlsFor({ text, headings, parents });

describe('the mapping rules kept with the catalogue', () => {
  it('name only real catalogue controls', () => {
    for (const id of [...RULES.map((r) => r.control), ...SECTIONS.flatMap((s) => s.controls)]) expect(findControl(id), id).toBeDefined();
  });

  it('use no stateful (global or sticky) regular expression, which would match every other time', () => {
    const all = [PEOPLE_TASK, ...SECTIONS.map((s) => s.section), ...RULES.flatMap((r) => [r.item, r.within, r.unless, r.outside])];
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
