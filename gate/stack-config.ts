import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { StackSpec } from '../spec/index.js';
import { SETTINGS } from '../infra/settings.js';
import { datadogProvisions, isSecretVar } from '../spec/index.js';
import { UNKNOWN_STRING } from './engine/marshal.js';
import type { StackConfigFromCli } from './pulumi-cli.js';

export interface FlatConfig {
  /** `namespace:key` to the string the engine hands a program (objects as JSON). */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /** Keys whose value the gate could not see (an undecryptable secret, a key not set): the unknown sentinel. */
  readonly unseen: string[];
}

function isSecure(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'secure' in v;
}

/**
 * The stack's config as `pulumi preview` would pass it to the program. With the config the Pulumi CLI
 * read (`live`, see pulumi-cli.ts), every value is the real one. Offline nothing can decrypt a `secure:`
 * value, and the secrets the program reads from outside the file are usually set only in the Pulumi
 * backend: all of them become the engine's unknown sentinel, which a policy reports as a value it
 * cannot judge at preview (a skip, never a pass). Those secrets are the `env:<KEY>` of each
 * `from: config` var, the Stripe key of a stack with Stripe objects, the owner login
 * (`postgres:adminUrl`) through which the program manages roles on a database it does not create, the
 * Datadog keys of a stack with Datadog resources, and the Supabase or Neon token of a named project.
 */
export function flatStackConfig(file: string, project: string, spec: StackSpec, live?: StackConfigFromCli): FlatConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const unseen: string[] = [];
  if (live) {
    Object.assign(config, live.config);
    secretKeys.push(...live.secretKeys);
  } else {
    const doc = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> };
    for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
      const key = rawKey.includes(':') ? rawKey : `${project}:${rawKey}`;
      if (isSecure(value)) {
        config[key] = UNKNOWN_STRING;
        secretKeys.push(key);
        unseen.push(key);
      } else {
        config[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
  }
  const assume = (key: string, secret: boolean) => {
    if (key in config) return;
    config[key] = UNKNOWN_STRING;
    unseen.push(key);
    if (secret) secretKeys.push(key);
  };
  for (const [name, v] of Object.entries(spec.env.vars)) {
    const enabled = v.feature === undefined || spec.env.features[v.feature] === true;
    if (v.from === 'config' && enabled) assume(`${SETTINGS.env}:${name}`, isSecretVar(name, v));
  }
  if (spec.stripe) assume(`${SETTINGS.env}:STRIPE_SECRET_KEY`, true);
  if (spec.postgres && spec.postgres.provider !== 'rds') assume(SETTINGS.postgresAdminUrl, true);
  if (datadogProvisions(spec.datadog)) for (const key of [SETTINGS.datadogApiKey, SETTINGS.datadogAppKey]) assume(key, true);
  // The program changes a named Supabase or Neon project's settings with a token of its provider.
  if (spec.postgres?.provider === 'supabase' && spec.supabase?.projectRef !== undefined) assume(SETTINGS.supabaseAccessToken, true);
  if (spec.postgres?.provider === 'neon' && SETTINGS.neonProjectId in config) assume(SETTINGS.neonApiKey, true);
  return { config, secretKeys, unseen };
}

export interface Project {
  readonly name: string;
  /** Absolute path of the program's entry (Pulumi.yaml `main`). */
  readonly program: string;
  readonly description: string;
}

export function readProject(projectDir: string): Project {
  const doc = parse(readFileSync(`${projectDir}/Pulumi.yaml`, 'utf8')) as { name?: string; main?: string; description?: string };
  if (!doc.name) throw new Error(`${projectDir}/Pulumi.yaml has no name`);
  return { name: doc.name, program: `${projectDir}/${doc.main ?? 'index.ts'}`, description: doc.description ?? '' };
}
