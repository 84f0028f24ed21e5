import { projectsFilterProjectEnvs } from '@vercel/sdk/funcs/projectsFilterProjectEnvs.js';
import { projectsGetProjectEnv } from '@vercel/sdk/funcs/projectsGetProjectEnv.js';
import type { RunMemo } from '../memo.js';
import type { CollectContext } from '../types.js';
import type { VercelClient } from './client.js';
import { call, vercelClient } from './client.js';

/**
 * Every env var of the project as GET /v10/projects/{idOrName}/env lists it (decrypt=true), read once per run
 * whichever family asks first (`idOrName`: the project as the targets file names it). That endpoint cannot
 * page: a paginated answer would be a partial list, so it is an error rather than vars wrongly "absent".
 */
export function listProjectEnvs(client: VercelClient, idOrName: string, memo: RunMemo | undefined) {
  const list = () => fetchProjectEnvs(client, idOrName);
  return memo ? memo.once(`vercel env listing of ${idOrName}`, list) : list();
}

async function fetchProjectEnvs(client: VercelClient, projectId: string) {
  const listed = await call(client, 'the project env vars', projectsFilterProjectEnvs(client.core, { idOrName: projectId, decrypt: 'true', ...client.scope }, client.options));
  if (!('envs' in listed)) throw new Error('the Vercel API answered the env listing with a single variable instead of a list');
  if ('pagination' in listed && listed.pagination.next !== null) {
    throw new Error(`the Vercel API paginated the env listing (next: ${listed.pagination.next}), which GET /v10/projects/{id}/env cannot page: the list would be partial`);
  }
  return listed.envs;
}

/**
 * One production env var of the app as Vercel holds it. `setAt`: when it was last set (Vercel's updatedAt,
 * else createdAt, in ms), when the API says.
 */
export type ProductionVar =
  | { readonly kind: 'value'; readonly value: string; readonly setAt?: number }
  | { readonly kind: 'unreadable'; readonly reason: string; readonly setAt?: number }
  | { readonly kind: 'absent' };

/**
 * Reads the production values (every branch, not a branch override) of the keys `pick` chooses from the keys
 * set for production, decrypted where Vercel can; a sensitive or secret var is write-only there. Nothing is
 * registered with a redactor: callers decide which values are secrets. Undefined: the targets file cannot read Vercel.
 */
export async function readProductionVars(pick: (productionKeys: readonly string[]) => Iterable<string>, ctx: CollectContext): Promise<Map<string, ProductionVar> | undefined> {
  const { spec, targets } = ctx;
  if (!spec.vercel || !targets.vercel) return undefined;
  const client = vercelClient(targets.vercel, spec.vercel.team, ctx.signal);
  const projectId = targets.vercel.projectId ?? spec.vercel.project;
  const production = (await listProjectEnvs(client, projectId, ctx.memo)).filter((e) => (Array.isArray(e.target) ? e.target.includes('production') : e.target === 'production') && !e.gitBranch);
  const vars = new Map<string, ProductionVar>();
  for (const key of new Set(pick(production.map((e) => e.key)))) {
    const env = production.find((e) => e.key === key);
    if (!env) {
      vars.set(key, { kind: 'absent' });
      continue;
    }
    const at = env.updatedAt ?? env.createdAt;
    const setAt = at === undefined ? {} : { setAt: at };
    if (env.type === 'sensitive' || env.type === 'secret') {
      vars.set(key, { kind: 'unreadable', reason: `Vercel keeps ${env.type} values write-only`, ...setAt });
      continue;
    }
    let value = env.type === 'plain' || env.decrypted === true ? env.value : undefined;
    if (value === undefined && env.id !== undefined) {
      const one = await call(client, `the value of ${key}`, projectsGetProjectEnv(client.core, { idOrName: projectId, id: env.id, ...client.scope }, client.options));
      value = 'value' in one && typeof one.value === 'string' ? one.value : undefined;
    }
    vars.set(key, value === undefined ? { kind: 'unreadable', reason: 'the Vercel API did not decrypt it', ...setAt } : { kind: 'value', value, ...setAt });
  }
  return vars;
}

/** The production value of one key; undefined when the targets file cannot read Vercel. */
export async function readProductionVar(key: string, ctx: CollectContext): Promise<ProductionVar | undefined> {
  return (await readProductionVars(() => [key], ctx))?.get(key);
}
