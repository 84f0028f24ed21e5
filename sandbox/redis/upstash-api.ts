import type { StackSpec } from '../../spec/index.js';
import { startUpstashApi, type UpstashApiServer } from '../../test/fixtures/upstash-api/index.js';
import { FaultNotPlantableError } from '../fault.js';
import { redisSpecOf } from './state.js';

/** The name infra/components/cache.ts gives the database: `<app>-<stack>`. */
const SANDBOX_STACK = 'sandbox';

/**
 * The Upstash Developer API of the sandbox's database, describing it as infra/components/cache.ts provisions it
 * for the spec: a global database with the spec's primary and read regions, TLS as redis.tls, eviction on unless
 * the policy is noeviction, daily backups when the persistence asks for snapshots.
 */
export async function startSandboxUpstashApi(spec: StackSpec): Promise<UpstashApiServer> {
  const r = redisSpecOf(spec);
  return startUpstashApi({
    database: {
      database_name: `${spec.app.name}-${SANDBOX_STACK}`,
      region: 'global',
      primary_region: r.upstash.primaryRegion ?? r.upstash.region,
      read_regions: [...r.upstash.readRegions],
      tls: r.tls,
      eviction: r.evictionPolicy !== 'noeviction',
      daily_backup_enabled: r.persistence === 'rdb' || r.persistence === 'aof+rdb',
    },
  });
}

/** Faults planted in the Developer API's description of the database: what a console click or a stale Terraform leaves. */
export const UPSTASH_API_FAULTS: Readonly<Record<string, (api: UpstashApiServer, spec: StackSpec) => void>> = {
  'redis.instance': (api) => {
    api.database.state = 'deleted';
  },
  'redis.tls': (api, spec) => {
    if (!redisSpecOf(spec).tls) throw new FaultNotPlantableError('redis.tls', 'spec redis.tls is false, so TLS is never judged');
    api.database.tls = false;
  },
  'redis.eviction-policy': (api) => {
    api.database.eviction = !api.database.eviction;
  },
  'redis.ha': (api, spec) => {
    if (!redisSpecOf(spec).ha) throw new FaultNotPlantableError('redis.ha', 'spec redis.ha is false, so replication is never judged');
    api.database.read_regions = [];
  },
};
