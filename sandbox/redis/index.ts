import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StackSpec } from '../../spec/index.js';
import { startUpstashRest } from '../../test/fixtures/upstash-rest.js';
import { startRedis } from '../services/redis.js';
import { trustCaForFetch } from '../services/trust.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import { REDIS_FAULTS } from './faults.js';
import { applyRedisState } from './state.js';
import { startSandboxUpstashApi, UPSTASH_API_FAULTS } from './upstash-api.js';

/** Faults the Upstash Developer API carries alone: the redis-server behind the REST adapter has no say in them. */
const API_ONLY = new Set(['redis.instance', 'redis.tls', 'redis.ha']);

/**
 * A real redis-server (TLS only when the stack asks for TLS) with the stack's eviction policy,
 * persistence, memory limit and keyed TTLs; for an Upstash stack, the Upstash REST adapter in front and
 * the Upstash Developer API describing the database (eviction, TLS, regions, backups).
 */
export const redisSandbox: SandboxFamily = {
  name: 'redis',
  phase: 1,
  applies: (spec) => spec.redis !== undefined,
  breakable: [...new Set([...Object.keys(REDIS_FAULTS), ...Object.keys(UPSTASH_API_FAULTS)])],
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const r = spec.redis;
    if (!r) throw new Error('the stack has no prodcheck:redis section');
    const tls = r.tls ? { certFile: ctx.tls.certFile, keyFile: ctx.tls.keyFile, caFile: ctx.tls.caFile } : undefined;
    // A password, as production has: redis.connectivity fails a server that answers clients without credentials.
    const server = await startRedis({ tls, tmpRoot: ctx.tmpDir, password: randomBytes(18).toString('base64url') });
    const stops: (() => Promise<void>)[] = [() => server.stop()];
    const stop = async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    };
    try {
      const admin = new Redis(server.url, { tls: tls ? { ca: ctx.tls.caCert } : undefined, maxRetriesPerRequest: 1 });
      stops.push(async () => void admin.disconnect());
      await applyRedisState(admin, spec);
      let running: Pick<SandboxRunning, 'targets' | 'secrets' | 'outputs' | 'describe'>;
      let plantInApi: ((id: string) => boolean) | undefined;
      // Where a person reaches it with --keep: the URL without its password.
      const endpoint = `${tls ? 'rediss' : 'redis'}://${server.host}:${server.port}`;
      if (r.provider === 'upstash') {
        const rest = await startUpstashRest({ redisUrl: server.url, redisTls: tls ? { ca: ctx.tls.caCert } : undefined, tls: r.tls ? { key: ctx.tls.key, cert: ctx.tls.cert } : undefined });
        stops.push(() => rest.stop());
        if (r.tls) {
          const restore = trustCaForFetch(ctx.tls.caCert);
          stops.push(async () => restore());
        }
        const api = await startSandboxUpstashApi(spec);
        stops.push(() => api.stop());
        plantInApi = (id) => {
          const fault = UPSTASH_API_FAULTS[id];
          if (fault) fault(api, spec);
          return API_ONLY.has(id);
        };
        running = {
          targets: {
            redis: { upstash: { url: rest.url, token: rest.token, readOnlyToken: rest.readOnlyToken }, timeoutMs: 5_000, pings: 100 },
            upstash: { email: api.email, apiKey: api.apiKey, databaseId: api.databaseId, baseUrl: api.url, timeoutMs: 5_000 },
          },
          secrets: [rest.token, rest.readOnlyToken, api.apiKey, ...(server.password ? [server.password] : [])],
          outputs: { 'redis.restUrl': rest.url, 'redis.url': server.url, upstashDatabaseId: api.databaseId },
          describe: [
            `redis     ${endpoint} behind the Upstash REST adapter at ${rest.url} — the password is in the targets file`,
            `upstash   Developer API at ${api.url}, database ${api.databaseId}`,
          ],
        };
      } else {
        running = {
          targets: { redis: { url: server.url, caFile: tls?.caFile, timeoutMs: 5_000, pings: 100 } },
          secrets: server.password ? [server.password] : [],
          outputs: { 'redis.url': server.url },
          describe: [`redis     ${endpoint} — the password is in the targets file`],
        };
      }
      for (const id of breaks) {
        await plantFault(id, async () => {
          if (plantInApi?.(id)) return;
          const fault = REDIS_FAULTS[id];
          if (!fault) throw new FaultNotPlantableError(id, 'only the Upstash Developer API carries this fault, and the stack is not on Upstash');
          await fault(admin, spec);
        });
      }
      return { ...running, stop };
    } catch (e) {
      await stop();
      throw e;
    }
  },
};
