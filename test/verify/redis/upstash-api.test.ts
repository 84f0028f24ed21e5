import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driftFamilies } from '../../../drift/select.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { stackSpecSchema, targetsSchema, type StackSpec } from '../../../spec/index.js';
import { MAX_UPSTASH_API_BYTES, UpstashApiClient, UpstashApiError } from '../../../verify/redis/upstash-api.js';
import { upstashFamily, type UpstashSnapshot } from '../../../verify/redis/index.js';
import * as checks from '../../../verify/redis/upstash-checks.js';
import { runVerify } from '../../../verify/runner.js';
import type { Check } from '../../../verify/types.js';
import { listenLocal } from '../../fixtures/local-server.js';
import { startUpstashApi, type UpstashApiServer } from '../../fixtures/upstash-api/index.js';

const specOf = (redis: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({ app: { name: 'commerce', domain: 'shop.example.com' }, redis: { provider: 'upstash', ...redis } });

let api: UpstashApiServer;
beforeAll(async () => {
  api = await startUpstashApi({ database: { database_name: 'commerce-prod' } });
});
afterAll(() => api.stop());
afterEach(() => {
  Object.assign(api.database, { tls: true, eviction: true, state: 'active', region: 'global', primary_region: 'us-east-1', read_regions: [], daily_backup_enabled: true });
  api.exists = true;
  api.allow();
});

const targetsOf = (over: Record<string, unknown> = {}) =>
  targetsSchema.parse({ upstash: { email: api.email, apiKey: api.apiKey, databaseId: api.databaseId, baseUrl: api.url, timeoutMs: 2_000, ...over } });

async function verify(spec = specOf(), targets = targetsOf()): Promise<Report> {
  const redactor = new Redactor();
  return runVerify({ stack: 'test', spec, targets, families: [upstashFamily as never], redactor, select: () => true, active: false });
}
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);
const name = () => `commerce-prod (${api.databaseId})`;

describe('upstash checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, all on the upstash target', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<UpstashSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([n, c]) => [n, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(checks.UPSTASH_CHECKS.map((c) => c.id)).toEqual(['redis.instance', 'redis.tls', 'redis.eviction-policy', 'redis.persistence', 'redis.ha']);
    expect(checks.UPSTASH_CHECKS.every((c) => c.target === 'upstash')).toBe(true);
  });
});

describe('upstash family against the local Developer API', () => {
  it('reads the database with credentials hidden and passes a healthy one', async () => {
    const r = await verify(specOf({ persistence: 'aof+rdb', ha: true, upstash: { region: 'us-east-1', readRegions: ['us-west-1'] } }));
    api.database.read_regions = [];
    expect(api.requests.at(-1)).toBe(`GET /v2/redis/database/${api.databaseId}?credentials=hide`);
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['redis.instance', 'pass', `Upstash database ${name()} is active in us-east-1 (plan Pay as You Go: max data size 100 GB, 10000 commands/s, 10 MB per request, 10000 clients).`],
      ['redis.tls', 'pass', `Upstash database ${name()} has TLS on.`],
      ['redis.eviction-policy', 'pass', `Upstash database ${name()} has eviction on, as spec redis.evictionPolicy allkeys-lru asks.`],
      ['redis.persistence', 'pass', `Upstash database ${name()} takes daily backups, its snapshots for spec redis.persistence aof+rdb.`],
      ['redis.ha', 'fail', `Upstash database ${name()} must replicate to us-west-1 (found no read region).`],
    ]);
    api.database.read_regions = ['us-west-1'];
    const ha = await verify(specOf({ ha: true, upstash: { readRegions: ['us-west-1'] } }));
    expect(messages(ha, 'redis.ha')).toEqual([['pass', `Upstash database ${name()} replicates to us-west-1.`]]);
    expect(r.results.every((x) => x.resource === api.databaseId)).toBe(true);
    expect(messages(await verify(), 'redis.ha')).toEqual([['skip', 'Redis high availability is not required (spec redis.ha is false).']]);
    expect((await verify()).results.find((x) => x.control === 'redis.ha')?.resource).toBeUndefined();
  });

  it('fails eviction off, TLS off, daily backups off, another region and a database that is not active', async () => {
    Object.assign(api.database, { eviction: false, tls: false, daily_backup_enabled: false, primary_region: 'eu-west-1' });
    const r = await verify(specOf({ persistence: 'rdb' }));
    expect(messages(r, 'redis.instance')).toEqual([['fail', `Upstash database ${name()} must take writes in us-east-1 (found eu-west-1).`]]);
    expect(messages(r, 'redis.tls')).toEqual([['fail', `Upstash database ${name()} must have TLS on (found tls false: clients connect in plaintext).`]]);
    expect(messages(r, 'redis.eviction-policy')).toEqual([
      ['fail', `Upstash database ${name()} must have eviction on for spec redis.evictionPolicy allkeys-lru (found eviction off: writes fail once the database is full).`],
    ]);
    expect(messages(r, 'redis.persistence')).toEqual([['fail', `Upstash database ${name()} must take daily backups for spec redis.persistence rdb (found daily backups off).`]]);
    api.database.state = 'deleted';
    expect(messages(await verify(), 'redis.instance')).toEqual([['fail', `Upstash database ${name()} must be active (found deleted).`]]);
  });

  it('judges noeviction, skips what the spec does not ask for, and reads a regional database', async () => {
    Object.assign(api.database, { region: 'us-east-1', primary_region: undefined });
    delete (api.database as { primary_region?: string }).primary_region;
    const r = await verify(specOf({ evictionPolicy: 'noeviction', tls: false, persistence: 'aof' }));
    expect(messages(r, 'redis.instance')[0]?.[0]).toBe('pass');
    expect(messages(r, 'redis.eviction-policy')).toEqual([
      ['fail', `Upstash database ${name()} must have eviction off for spec redis.evictionPolicy noeviction (found eviction on: keys are dropped when the database is full).`],
    ]);
    expect(messages(r, 'redis.tls')).toEqual([['skip', 'Redis TLS is not required (spec redis.tls is false).']]);
    expect(messages(r, 'redis.persistence')).toEqual([
      ['skip', `Upstash database ${name()} has no append-only-file setting to read (Upstash persists every write by design), so spec redis.persistence aof is not judged from the Developer API.`],
    ]);
    expect(messages(r, 'redis.ha')).toEqual([['skip', 'Redis high availability is not required (spec redis.ha is false).']]);
    api.database.primary_region = 'us-east-1';
  });

  it('never passes a setting Upstash left out of its answer', async () => {
    const saved = { ...api.database };
    delete (api.database as { tls?: boolean }).tls;
    delete (api.database as { eviction?: boolean }).eviction;
    const r = await verify();
    Object.assign(api.database, saved);
    expect(messages(r, 'redis.tls')).toEqual([['error', `Could not read the TLS setting of Upstash database ${name()}: the Developer API did not report tls.`]]);
    expect(messages(r, 'redis.eviction-policy')).toEqual([['error', `Could not read the eviction setting of Upstash database ${name()}: the Developer API did not report eviction.`]]);
  });

  it('fails a database Upstash does not have and skips its settings', async () => {
    api.exists = false;
    const r = await verify();
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['redis.instance', 'fail', `Upstash database ${api.databaseId} must exist (found none: the Developer API answered 404).`],
      ['redis.tls', 'skip', `Upstash has no database ${api.databaseId}, so its settings were not read (see redis.instance).`],
      ['redis.eviction-policy', 'skip', `Upstash has no database ${api.databaseId}, so its settings were not read (see redis.instance).`],
      ['redis.persistence', 'skip', `Upstash has no database ${api.databaseId}, so its settings were not read (see redis.instance).`],
      ['redis.ha', 'skip', `Upstash has no database ${api.databaseId}, so its settings were not read (see redis.instance).`],
    ]);
  });

  it('says what to do about refused credentials and never prints the API key', async () => {
    const r = await verify(specOf(), targetsOf({ apiKey: `${api.apiKey}-revoked` }));
    const instance = r.results.find((x) => x.control === 'redis.instance');
    expect(instance?.status).toBe('error');
    expect(instance?.message).toContain(
      `the Upstash Developer API refused the credentials reading database ${api.databaseId} (HTTP 401: Unauthorized): set targets upstash.email and upstash.apiKey to an account email and a Developer API key of the team that owns the database`,
    );
    expect(JSON.stringify(r)).not.toContain(api.apiKey);
    expect(r.results.filter((x) => x.control !== 'redis.instance').every((x) => x.status === 'skip')).toBe(true);
  });

  it('reports an outage as an error, never a pass', async () => {
    api.refuse(503);
    const r = await verify();
    expect(r.results.find((x) => x.control === 'redis.instance')?.message).toContain(`the Upstash Developer API answered HTTP 503: Internal server error reading database ${api.databaseId}`);
    expect(r.summary.pass).toBe(0);
  });

  it('skips when the stack is not on Upstash or names no Upstash API', async () => {
    expect(upstashFamily.collector.applies(stackSpecSchema.parse({ app: { name: 'a', domain: 'a.example.com' }, redis: { provider: 'elasticache' } }), targetsOf())).toBe(
      "The stack's Redis provider is elasticache, not upstash.",
    );
    expect(upstashFamily.collector.applies(specOf(), targetsSchema.parse({}))).toBe('No upstash entry in the targets file (email, apiKey, databaseId): the Upstash Developer API is not checked.');
  });
});

describe('upstash family in drift', () => {
  it('re-runs the controls the catalogue gives stage D, and only those', () => {
    const [family] = driftFamilies([upstashFamily as never]);
    expect(family?.checks.map((c) => c.id)).toEqual(['redis.tls', 'redis.eviction-policy', 'redis.persistence']);
  });
});

describe('Upstash Developer API client bounds', () => {
  async function hostile(handler: Parameters<typeof createServer>[1]) {
    const local = await listenLocal(createServer(handler));
    const client = new UpstashApiClient(targetsOf({ baseUrl: local.url, timeoutMs: 300 }).upstash!, new AbortController().signal);
    return { client, stop: local.stop };
  }

  it('gives up on a hung API after timeoutMs', async () => {
    const { client, stop } = await hostile(() => undefined);
    try {
      await expect(client.database('db-1')).rejects.toThrow(/could not reach the Upstash Developer API at http:\/\/127\.0\.0\.1:\d+ reading database db-1: the Upstash Developer API did not answer within 300 ms/);
    } finally {
      await stop();
    }
  });

  it('refuses a flooding answer and a lying one', async () => {
    const { client, stop } = await hostile((req, res) => {
      if (req.url?.includes('flood')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"database_id":"flood","pad":"${'x'.repeat(MAX_UPSTASH_API_BYTES)}"}`);
      } else if (req.url?.includes('other')) {
        res.end(JSON.stringify({ database_id: 'someone-else', tls: true }));
      } else {
        res.end(JSON.stringify({ database_id: 'typed', tls: 'yes' }));
      }
    });
    try {
      await expect(client.database('flood')).rejects.toThrow(UpstashApiError);
      await expect(client.database('flood')).rejects.toThrow(/larger than/);
      await expect(client.database('other')).rejects.toThrow('the Upstash Developer API answered database other with database someone-else');
      await expect(client.database('typed')).rejects.toThrow('the Upstash Developer API answered database typed with an unexpected tls (Invalid input: expected boolean, received string)');
    } finally {
      await stop();
    }
  });
});
