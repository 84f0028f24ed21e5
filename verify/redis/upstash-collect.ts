import type { Collector } from '../types.js';
import { UpstashApiClient, type UpstashDatabase } from './upstash-api.js';

/** What the Upstash Developer API says about the stack's database. */
export interface UpstashSnapshot {
  readonly databaseId: string;
  /** null: Upstash has no database with that id (deleted, or another team's). */
  readonly database: UpstashDatabase | null;
}

/**
 * The control plane of an Upstash (or Vercel KV) database. Upstash refuses CONFIG and its INFO leaves out
 * maxmemory_policy and the persistence fields, so eviction, TLS, durability and replication are read here.
 * A failed call throws: redis.instance reports it as an error and the other Upstash views skip.
 */
export const upstashCollector: Collector<UpstashSnapshot> = {
  target: 'upstash',
  applies(spec, targets) {
    const provider = spec.redis?.provider;
    if (provider !== 'upstash') return provider ? `The stack's Redis provider is ${provider}, not upstash.` : 'The stack config has no prodcheck:redis section.';
    if (!targets.upstash) return 'No upstash entry in the targets file (email, apiKey, databaseId): the Upstash Developer API is not checked.';
    return undefined;
  },
  async collect(ctx) {
    const t = ctx.targets.upstash;
    if (!t) throw new Error('the upstash family runs only when applies() found its target');
    ctx.redactor.add(t.apiKey, Buffer.from(`${t.email}:${t.apiKey}`).toString('base64'));
    const database = await new UpstashApiClient(t, ctx.signal).database(t.databaseId);
    return { databaseId: t.databaseId, database };
  },
};
