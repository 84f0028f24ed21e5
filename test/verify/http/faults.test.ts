/** The sample app's faults for the findings of issue 12, each failing exactly its control with the exact message. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChunks } from '../../../sandbox/app/content.js';
import type { AppFault } from '../../../sandbox/app/faults.js';
import { startSampleApp, type SampleApp } from '../../../sandbox/app/server.js';
import { sampleAppTargets } from '../../../sandbox/http/index.js';
import { targetsSchema } from '../../../spec/index.js';
import { HTTP_CHECKS } from '../../../verify/http/index.js';
import { httpCollector } from '../../../verify/http/collect.js';
import { Redactor } from '../../../report/redact.js';
import { httpStack } from './stack.js';

const SPEC = httpStack();
let app: SampleApp;
let dir: string;
let caFile: string;

beforeAll(async () => {
  app = await startSampleApp({ spec: SPEC });
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-http-faults-'));
  caFile = join(dir, 'ca.crt');
  await writeFile(caFile, app.caCert);
});

afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function collect(faults: AppFault[]) {
  await app.setFaults(faults);
  const redactor = new Redactor();
  const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile) });
  const snapshot = await httpCollector.collect({ spec: SPEC, targets, active: false, redactor, signal: new AbortController().signal });
  const findings = HTTP_CHECKS.map((c) => [c.id, c.evaluate(snapshot, SPEC)] as const);
  return {
    snapshot,
    fails: (control: string) => (findings.find(([id]) => id === control)?.[1] ?? []).filter((f) => f.status === 'fail').map((f) => f.message),
    failing: findings.filter(([, fs]) => fs.some((f) => f.status === 'fail')).map(([id]) => id),
  };
}

describe('sample app faults for the deeper http checks', () => {
  it('redirect-off-host: http:// redirects to https:// on another host', async () => {
    const run = await collect(['redirect-off-host']);
    expect(run.fails('http.https-redirect')).toEqual([
      'http://shop.example.com/ must redirect to https:// on shop.example.com, not to another host (found 308 to https://shop.example.net/).',
    ]);
    expect(run.failing).toEqual(['http.https-redirect']);
  });

  it('no-nosniff: one missing header fails although the grade stays A+', async () => {
    const run = await collect(['no-nosniff']);
    expect(run.fails('http.security-headers')).toEqual(['GET / must carry X-Content-Type-Options: nosniff (found none).']);
    const grade = run.snapshot.observatory;
    expect(grade?.ok && grade.value.grade).toBe('A+');
    expect(run.failing).toEqual(['http.security-headers']);
  });

  it('cors-reflect-origin: every hostile origin is reflected with credentials, each named', async () => {
    const run = await collect(['cors-reflect-origin']);
    const reflected = (what: string, origin: string, why: string) =>
      `${what} to /api/models from ${origin}${why ? ` (${why})` : ''} must get no Access-Control-Allow-Origin (found ${origin}, its origin reflected with credentials).`;
    const hostile: [string, string][] = [
      ['https://evil.example', ''],
      ['https://shop.example.com.evil.net', 'look-alike suffix of https://shop.example.com'],
      ['https://evilshop.example.com', 'look-alike prefix of https://shop.example.com'],
      ['http://shop.example.com', 'the http:// scheme of https://shop.example.com'],
      ['null', 'the null origin of sandboxed frames and files'],
    ];
    expect(run.fails('http.cors')).toEqual(hostile.flatMap(([o, why]) => [reflected('A preflight', o, why), reflected('A credentialed GET', o, why)]));
    expect(run.failing).toEqual(['http.cors']);
  });

  it('session-any-value: a forged and an expired cookie of the right name get through', async () => {
    const run = await collect(['session-any-value']);
    expect(run.fails('http.auth-protected-routes')).toEqual([
      'GET /api/account with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).',
      'GET /api/account with an expired session cookie __Host-session must answer 401 or redirect to sign-in (found 200).',
      'GET /dashboard with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).',
      'GET /dashboard with an expired session cookie __Host-session must answer 401 or redirect to sign-in (found 200).',
    ]);
    expect(run.failing).toEqual(['http.auth-protected-routes']);
  });

  it('html-cached-immutable: pages cached for a year as immutable', async () => {
    const run = await collect(['html-cached-immutable']);
    expect(run.fails('http.cdn-caching')).toEqual(
      ['/', '/pricing'].map((p) => `GET ${p} (HTML) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: public, max-age=31536000, immutable).`),
    );
    expect(run.failing).toEqual(['http.cdn-caching']);
  });

  it('bundle-secret-hidden: finds the key in a chunk only import() loads and the JWT in a source map, never printing them', async () => {
    const run = await collect(['bundle-secret-hidden']);
    const chunks = buildChunks(SPEC.app.name, undefined, app.planted);
    const lazy = chunks.find((c) => c.path.includes('/billing-'))?.path ?? '';
    const map = chunks.find((c) => c.path.endsWith('.map'))?.path ?? '';
    const fails = run.fails('http.client-bundle-secrets');
    expect(fails.map((m) => m.replace(/hmac:[0-9a-f]{12}/, 'hmac:…'))).toEqual([
      `Client code must contain no secrets (found a Stripe live secret key at ${lazy}:25:28, sk_live_…len 40, hmac:…).`,
      `Client code must contain no secrets (found a Supabase service-role JWT at ${map}:1:119, eyJ…len ${app.planted.serviceRoleJwt.length}, hmac:…).`,
    ]);
    expect(run.snapshot.bundle.scanned.map((s) => s.path)).toEqual(expect.arrayContaining([lazy, map]));
    for (const m of fails) {
      expect(m).not.toContain(app.planted.stripeLiveKey);
      expect(m).not.toContain(app.planted.serviceRoleJwt);
    }
    expect(run.failing).toEqual(['http.client-bundle-secrets']);
  });
});
