import { projectsFilterProjectEnvs } from '@vercel/sdk/funcs/projectsFilterProjectEnvs.js';
import { projectsGetProjectEnv } from '@vercel/sdk/funcs/projectsGetProjectEnv.js';
import type { StackSpec, Targets } from '../../spec/index.js';
import { call, vercelClient } from '../vercel/client.js';

/** The From address the production app sends with, as Vercel holds it. */
export type AppFrom =
  | { readonly kind: 'value'; readonly key: string; readonly address: string }
  | { readonly kind: 'unreadable'; readonly key: string; readonly reason: string }
  | { readonly kind: 'absent'; readonly key: string }
  | { readonly kind: 'no-vercel'; readonly key: string };

/** Reads the production value of the From var from Vercel (an address is not a secret; a sensitive var is write-only). */
export async function readAppFrom(key: string, spec: StackSpec, targets: Targets, signal: AbortSignal): Promise<AppFrom> {
  if (!spec.vercel || !targets.vercel) return { kind: 'no-vercel', key };
  const client = vercelClient(targets.vercel, spec.vercel.team, signal);
  const projectId = targets.vercel.projectId ?? spec.vercel.project;
  const listed = await call(client, 'the project env vars', projectsFilterProjectEnvs(client.core, { idOrName: projectId, decrypt: 'true', ...client.scope }, client.options));
  if (!('envs' in listed)) throw new Error('the Vercel API answered the env listing with a single variable instead of a list');
  const env = listed.envs.find((e) => e.key === key && (Array.isArray(e.target) ? e.target.includes('production') : e.target === 'production') && !e.gitBranch);
  if (!env) return { kind: 'absent', key };
  if (env.type === 'sensitive' || env.type === 'secret') return { kind: 'unreadable', key, reason: `Vercel keeps ${env.type} values write-only` };
  let value = env.type === 'plain' || env.decrypted === true ? env.value : undefined;
  if (value === undefined && env.id !== undefined) {
    const one = await call(client, `the value of ${key}`, projectsGetProjectEnv(client.core, { idOrName: projectId, id: env.id, ...client.scope }, client.options));
    value = 'value' in one && typeof one.value === 'string' ? one.value : undefined;
  }
  if (value === undefined) return { kind: 'unreadable', key, reason: 'the Vercel API did not decrypt it' };
  return { kind: 'value', key, address: value };
}
