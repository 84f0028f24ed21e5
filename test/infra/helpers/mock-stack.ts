import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import { parseDocument } from 'yaml';
import { activeVars } from '../../../spec/index.js';
import type { Deployment } from '../../../infra/program.js';
import { postgresAccessProvider } from '../../../infra/providers/postgres-access.js';
import { STRIPE_PROVIDERS } from '../../../infra/providers/stripe/resources.js';
import type { StackSpec } from '../../../spec/index.js';
import { datadogProvisions, isSecretVar, loadStackFile } from '../../../spec/index.js';

const require = createRequire(import.meta.url);
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** Every value the mocks hand out as a secret contains this, so a leak into a plain input is easy to find. */
export const SECRET_MARK = 'S3CR3T';

/** A value as the engine holds an input: secrets wrapped, everything else plain. */
export type Wire = unknown;

export const isSecretWire = (v: unknown): v is { value: unknown } => typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** The input with secrets unwrapped, for asserting values. */
export function plain(v: Wire): unknown {
  if (isSecretWire(v)) return plain(v.value);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export interface MockResource {
  readonly type: string;
  readonly name: string;
  /** As the engine receives them: secret inputs stay wrapped. */
  readonly inputs: Record<string, Wire>;
  readonly parent: string | undefined;
  readonly provider: string | undefined;
  /** The resource options the engine would act on (protect, ignoreChanges, aliases). */
  readonly options: { readonly protect?: boolean; readonly ignoreChanges?: readonly string[]; readonly aliases?: readonly unknown[] };
}

export interface StackRun {
  readonly resources: readonly MockResource[];
  /** The stack outputs as `pulumi stack output --json --show-secrets` prints them. */
  readonly outputs: Record<string, unknown>;
  /** The top-level outputs the engine would keep secret. */
  readonly secretOutputs: ReadonlySet<string>;
  readonly deployment: Deployment;
}

/**
 * Dynamic providers are serialized into the inputs by Pulumi's closure serializer, which cannot follow
 * the module runner vitest wraps around the code (it rewrites dynamic imports). Under `pulumi up` the
 * real serializer runs (test/infra/serialized-provider.test.ts runs it on the access provider); here each
 * provider is recorded by name instead, so the tests can still see which provider a resource uses.
 */
export function stubProviderSerialization(): void {
  const names = new Map<object, string>([[postgresAccessProvider, 'postgres-access'], ...Object.entries(STRIPE_PROVIDERS).map(([k, p]) => [p, `stripe-${k}`] as [object, string])]);
  const closure = require('@pulumi/pulumi/runtime/closure/serializeClosure.js') as { serializeFunction: (f: () => object) => Promise<{ text: string; containsSecrets: boolean }> };
  // The Stripe resources register a placeholder provider of their own under mocks.
  closure.serializeFunction = async (f) => ({ text: `provider:${names.get(f()) ?? 'placeholder'}`, containsSecrets: false });
}

/** The engine's view of a stack file's config: structured values as JSON text, scalars as text. */
export function engineConfig(file: string): Record<string, string> {
  const root = parseDocument(readFileSync(file, 'utf8')).toJS() as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(root.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const secret = (name: string, what = '') => `${SECRET_MARK}-${what}${name}`;

/**
 * A stack file's config plus the `env:<KEY>` values its `from: config` vars and Stripe need, set as
 * `pulumi config set [--secret]` would: secret vars as secrets carrying SECRET_MARK.
 */
export function stackConfig(file: string): { config: Record<string, string>; secretKeys: string[]; spec: StackSpec } {
  const config = engineConfig(file);
  const { spec } = loadStackFile(file);
  const secretKeys: string[] = [];
  const vars = activeVars(spec).filter(([, v]) => v.from === 'config');
  if (spec.stripe && !vars.some(([k]) => k === 'STRIPE_SECRET_KEY')) vars.push(['STRIPE_SECRET_KEY', { from: 'config', targets: ['production'], forbiddenTargets: [] }]);
  for (const [key, v] of vars) {
    const isSecret = isSecretVar(key, v);
    const prefix = key === 'STRIPE_SECRET_KEY' ? 'sk_live_' : key === 'STRIPE_PUBLISHABLE_KEY' ? 'pk_live_' : '';
    config[`env:${key}`] = isSecret ? `${prefix}${secret(key, 'config-')}` : `${prefix}public-${key}`;
    if (isSecret) secretKeys.push(`env:${key}`);
  }
  // The Datadog keys the SLOs and dashboards are created with (`pulumi config set --secret datadog:apiKey ...`).
  if (datadogProvisions(spec.datadog)) {
    for (const key of ['datadog:apiKey', 'datadog:appKey']) {
      config[key] = secret(key.slice('datadog:'.length), 'datadog-');
      secretKeys.push(key);
    }
  }
  return { config, secretKeys, spec };
}

/** Physical values the providers would report, deterministic per resource name: autonamed names and ARNs, then per type. */
function outputsOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const i = plain(inputs) as Record<string, unknown>;
  const generic = type.startsWith('aws:') ? { name: i.name ?? `${name}-physical`, arn: `arn:aws:mock:us-east-1:123456789012:${name}` } : {};
  return { ...generic, ...typeOutputs(type, name, i) };
}

function typeOutputs(type: string, name: string, i: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'random:index/randomPassword:RandomPassword':
      return { result: secret(name).padEnd(Number(i.length), 'x') };
    case 'aws:kms/key:Key':
      return { arn: `arn:aws:kms:us-east-1:123456789012:key/${name}`, keyId: name };
    case 'aws:rds/instance:Instance':
      return { address: `${String(i.identifier)}.c0ffee.us-east-1.rds.amazonaws.com`, port: 5432, endpoint: `${String(i.identifier)}.c0ffee.us-east-1.rds.amazonaws.com:5432`, arn: `arn:aws:rds:us-east-1:123456789012:db:${String(i.identifier)}` };
    case 'aws:rds/proxy:Proxy':
      return { endpoint: `${String(i.name)}.proxy-c0ffee.us-east-1.rds.amazonaws.com`, arn: `arn:aws:rds:us-east-1:123456789012:db-proxy:${name}` };
    case 'aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup':
      return { name: 'default' };
    case 'aws:elasticache/replicationGroup:ReplicationGroup':
      return { primaryEndpointAddress: `master.${name}.c0ffee.use1.cache.amazonaws.com`, authToken: i.authToken };
    case 'upstash:index/redisDatabase:RedisDatabase':
      return { endpoint: `${String(i.databaseName)}-12345.upstash.io`, port: 6379, password: secret(name, 'pw-'), restToken: secret(name, 'rest-'), readOnlyRestToken: secret(name, 'ro-'), databaseId: `db-${name}` };
    case 'vercel:index/project:Project':
      return { teamId: 'team_0123456789' };
    case 'pulumi-nodejs:dynamic/stripe:WebhookEndpoint':
      return { secret: `whsec_${secret(name)}`, status: 'enabled', livemode: true };
    case 'aws:lambda/invocation:Invocation':
      return { result: JSON.stringify({ action: 'create', createdRoles: ['app', 'verifier'], drift: [] }) };
    case 'pulumi-nodejs:dynamic/postgres:Access':
      return { drift: [], createdRoles: [i.appRole, i.verifierRole] };
    default:
      return {};
  }
}

function idOf(type: string, name: string, inputs: Record<string, unknown>): string {
  const i = plain(inputs) as Record<string, unknown>;
  if (type === 'pulumi-nodejs:dynamic/stripe:Price') return `price_${String(i.key)}`;
  if (type === 'pulumi-nodejs:dynamic/stripe:Product') return `prod_${String(i.key)}`;
  if (type === 'pulumi-nodejs:dynamic/stripe:WebhookEndpoint') return 'we_123';
  if (type === 'vercel:index/project:Project') return `prj_${name}`;
  // Checkly numbers its alert channels; a check subscribes to one by that number.
  if (type === 'checkly:index/alertChannel:AlertChannel') return '4321';
  if (type === 'aws:elasticache/replicationGroup:ReplicationGroup') return `${name}-rg`;
  return `${name}-id`;
}

const INVOKES: Readonly<Record<string, (args: Record<string, unknown>) => Record<string, unknown>>> = {
  'aws:ec2/getVpc:getVpc': (a) => ({ id: a.id ?? 'vpc-default', cidrBlock: '172.31.0.0/16' }),
  'aws:ec2/getSubnets:getSubnets': () => ({ ids: ['subnet-a', 'subnet-b', 'subnet-c'] }),
  'aws:ec2/getSubnet:getSubnet': (a) => ({ id: a.id, vpcId: 'vpc-of-subnet' }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({ accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/deployer', userId: 'AIDAMOCK', id: '123456789012' }),
  'aws:index/getRegion:getRegion': () => ({ region: 'us-east-1', name: 'us-east-1', id: 'us-east-1' }),
  'aws:index/getPartition:getPartition': () => ({ partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' }),
  'sentry:index/getSentryTeam:getSentryTeam': (a) => ({ id: `${String(a.organization)}/${String(a.slug)}`, internalId: '4242', slug: a.slug, organization: a.organization, name: a.slug }),
};

/**
 * Runs `run` (which declares the stack) as the engine would: under mocks, inside a root stack resource,
 * with the given config. Mocks mark as secret the outputs each resource asks the engine to keep secret
 * (its additionalSecretOutputs, read through a stack transformation), as the engine does.
 */
export async function runMockStack(config: Record<string, string>, secretKeys: readonly string[], run: () => Deployment, stack = 'prod'): Promise<StackRun> {
  const recorded: Omit<MockResource, 'parent' | 'provider' | 'options'>[] = [];
  const secretOutputs = new Map<string, readonly string[]>();
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        recorded.push({ type, name, inputs: inputs as Record<string, Wire> });
        const outputs = { ...inputs, ...outputsOf(type, name, inputs) };
        const secrets = secretOutputs.get(`${type}::${name}`) ?? [];
        const state = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, secrets.includes(k) && !isSecretWire(v) ? pulumi.secret(v) : v]));
        return { id: idOf(type, name, inputs), state };
      },
      call: ({ token, inputs }) => {
        const invoke = INVOKES[token];
        if (!invoke) throw new Error(`unmocked invoke ${token}`);
        return invoke(inputs as Record<string, unknown>);
      },
    },
    'prodcheck',
    stack,
  );
  pulumi.runtime.setAllConfig(config, [...secretKeys]);
  let deployment: Deployment | undefined;
  const owners = new Map<string, { parent: string | undefined; provider: string | undefined; options: MockResource['options'] }>();
  const label = (r: unknown) => (r === undefined ? undefined : String((r as { __name?: string }).__name));
  const raw = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      secretOutputs.set(`${a.type}::${a.name}`, (a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? []);
      const o = a.opts as pulumi.CustomResourceOptions;
      const options = { ...(o.protect !== undefined && { protect: o.protect }), ...(o.ignoreChanges && { ignoreChanges: o.ignoreChanges }), ...(o.aliases && { aliases: o.aliases }) };
      owners.set(`${a.type}::${a.name}`, { parent: label(a.opts.parent), provider: label(o.provider), options });
      return undefined;
    });
    deployment = run();
    return deployment.outputs;
  });
  await pulumi.runtime.disconnect();
  if (!deployment) throw new Error('the program declared nothing');
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(deployment.outputs)) if (pulumi.Output.isInstance(v) && (await pulumi.isSecret(v))) secrets.add(k);
  return {
    resources: recorded.map((r) => ({ ...r, ...(owners.get(`${r.type}::${r.name}`) ?? { parent: undefined, provider: undefined, options: {} }) })),
    outputs: (raw ?? {}) as Record<string, unknown>,
    secretOutputs: secrets,
    deployment,
  };
}

export const STACK_FILES = {
  prod: 'Pulumi.prod.yaml',
  commerce: 'examples/Pulumi.commerce.yaml',
  'llm-gateway': 'examples/Pulumi.llm-gateway.yaml',
  metered: 'examples/Pulumi.metered.yaml',
  phonepe: 'examples/Pulumi.phonepe.yaml',
} as const;
export type StackName = keyof typeof STACK_FILES;

/** Runs the program (infra/program.ts deploy) on a stack file, with `extra` config on top. */
export async function runStackFile(stack: StackName, extra: Record<string, string> = {}, extraSecrets: readonly string[] = []): Promise<StackRun> {
  const { deploy } = await import('../../../infra/program.js');
  const { config, secretKeys } = stackConfig(STACK_FILES[stack]);
  return runMockStack({ ...config, ...extra }, [...secretKeys, ...extraSecrets], deploy, stack);
}

export function countByType(run: StackRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

export function resource(run: StackRun, type: string, name: string): MockResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; have: ${run.resources.filter((r) => r.type === type).map((r) => r.name).join(', ') || 'none of that type'}`);
  return found;
}

export const ENV_VAR = 'vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable';

/** The env var resources by key. */
export function envVars(run: StackRun): Map<string, MockResource> {
  return new Map(run.resources.filter((r) => r.type === ENV_VAR).map((r) => [String(plain(r.inputs.key)), r]));
}

/** Admin logins for the databases the program does not create (postgres:adminUrl), as `pulumi config set --secret` leaves them. */
export const ADMIN_URLS = {
  neon: 'postgres://neondb_owner:S3CR3T-neon-owner@ep-cool-darkness-123456.us-east-2.aws.neon.tech:5432/stormcom',
  supabase: 'postgres://postgres:S3CR3T-supabase-owner@db.abcdefghijklmnopqrst.supabase.co:5432/postgres',
} as const;
