import { createHash } from 'node:crypto';
import { deploymentsGetDeployments } from '@vercel/sdk/funcs/deploymentsGetDeployments.js';
import { drainsGetDrains } from '@vercel/sdk/funcs/drainsGetDrains.js';
import type { GetDrainsDrainsFilter } from '@vercel/sdk/models/getdrainsop.js';
import { environmentGetProjectsByIdOrNameCustomEnvironments } from '@vercel/sdk/funcs/environmentGetProjectsByIdOrNameCustomEnvironments.js';
import { projectsGetProject } from '@vercel/sdk/funcs/projectsGetProject.js';
import { projectsGetProjectDomain } from '@vercel/sdk/funcs/projectsGetProjectDomain.js';
import { projectsGetProjectEnv } from '@vercel/sdk/funcs/projectsGetProjectEnv.js';
import { securityGetFirewallConfig } from '@vercel/sdk/funcs/securityGetFirewallConfig.js';
import type { EnvTarget, StackSpec } from '../../spec/index.js';
import { ENV_TARGETS, isSecretVar } from '../../spec/index.js';
import { describeError } from '../net.js';
import type { Redactor } from '../../report/redact.js';
import { fingerprint } from '../../report/redact.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import type { VercelClient } from './client.js';
import type { VercelTarget } from './client.js';
import { call, isNotFound, vercelClient } from './client.js';
import { listProjectEnvs } from './production-env.js';
import type { RuntimeLogs } from './logs.js';
import { readRuntimeLogs } from './logs.js';
import { valueKeys } from './env-keys.js';
import { probe } from '../probe.js';

export type EnvType = 'plain' | 'encrypted' | 'sensitive' | 'secret' | 'system';

/** A connection URL's parts that are safe to print: never the user or password. */
export interface UrlParts {
  readonly scheme: string;
  readonly host: string;
  readonly sslmode: string | undefined;
}

/**
 * What verify learned of a value. Secret values never enter the snapshot: only their length, a hash to
 * compare them by, the printable fingerprint and, for URLs, scheme, host and sslmode.
 */
export type EnvValue =
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'secret'; readonly length: number; readonly sha256: string; readonly fingerprint: string; readonly url?: UrlParts };

export interface VercelEnvVar {
  readonly key: string;
  readonly type: EnvType;
  readonly targets: readonly EnvTarget[];
  /** A preview-only override for one branch: it does not cover the preview target as a whole. */
  readonly gitBranch?: string;
  /** Read only for the keys some check judges (env-keys.ts valueKeys). */
  readonly value?: EnvValue;
}

export interface GitLink {
  readonly type: string;
  /** owner/name, when the provider names one. */
  readonly repo: string | undefined;
  readonly productionBranch: string;
}

export interface ProjectInfo {
  readonly id: string;
  readonly name: string;
  readonly framework: string | null;
  readonly link: GitLink | null;
}

export interface DomainInfo {
  readonly verified: boolean;
  readonly redirect: string | null;
  /** What Vercel asks for before it verifies the domain: "TXT _vercel.example.com". */
  readonly verification: readonly string[];
}

export interface DeploymentInfo {
  readonly uid: string;
  readonly readyState: string;
  readonly createdAt: number;
}

export interface FirewallInfo {
  readonly enabled: boolean;
  /** Managed ruleset id as Vercel names it (owasp, bot_protection, ai_bots...) → active. */
  readonly managedRules: Readonly<Record<string, boolean>>;
  /** IP rules as "ip action". */
  readonly ipRules: readonly { readonly ip: string; readonly action: string }[];
}

export interface DrainInfo {
  readonly name: string;
  /** Host of the HTTP endpoint it delivers to (undefined for other delivery kinds). */
  readonly endpointHost: string | undefined;
  readonly carriesLogs: boolean;
  readonly status: string;
  readonly disabledReason: string | undefined;
  /** Its basic filter: the deployment environments and log sources it lets through (undefined: all). */
  readonly environments: readonly string[] | undefined;
  readonly sources: readonly string[] | undefined;
  /** An OData filter expression, which prodcheck does not evaluate. */
  readonly odataFilter: string | undefined;
  /** The head-sampling rate that applies to production logs on every path (1 when none is set). */
  readonly productionSampling: number;
}

export interface CustomEnvironmentInfo {
  readonly slug: string;
  /** "equals main", "startsWith release/"… */
  readonly branchMatcher: { readonly type: string; readonly pattern: string } | undefined;
}

export interface ProductionDeployments {
  /** Newest first. */
  readonly list: readonly DeploymentInfo[];
  /** False when the page bound stopped the listing before the API's last page. */
  readonly complete: boolean;
}

export interface Expectations {
  readonly databaseHost?: string;
  readonly redisHost?: string;
}

export type VercelSnapshot =
  | { readonly project: null; readonly lookedUp: string; readonly why: string }
  | {
      readonly project: ProjectInfo;
      readonly envs: Probe<readonly VercelEnvVar[]>;
      readonly domain: { readonly name: string; readonly info: Probe<DomainInfo | null> };
      readonly deployments: Probe<ProductionDeployments>;
      readonly firewall: Probe<FirewallInfo | null>;
      /** The live production deployment's runtime logs; undefined when the stack asks nothing of them (vercel.logs). */
      readonly logs: Probe<RuntimeLogs> | undefined;
      /** The team's drains that cover the project; undefined when the stack asks for none (vercel.logDrain). */
      readonly drains: Probe<readonly DrainInfo[]> | undefined;
      /** The project's custom environments; undefined when the stack asks for no staging (vercel.staging). */
      readonly customEnvironments: Probe<readonly CustomEnvironmentInfo[]> | undefined;
      readonly expect: Expectations;
    };

const DEPLOYMENT_PAGE = 20;
const MAX_DEPLOYMENT_PAGES = 5;
/** Env values are decrypted one call each: a few at a time keeps within Vercel's rate limits. */
const VALUE_CONCURRENCY = 4;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function linkOf(link: unknown): GitLink | null {
  if (typeof link !== 'object' || link === null) return null;
  const l = link as Record<string, unknown>;
  const str = (k: string) => (typeof l[k] === 'string' ? (l[k] as string) : undefined);
  const pair = (a: string | undefined, b: string | undefined) => (a !== undefined && b !== undefined ? `${a}/${b}` : undefined);
  const type = str('type') ?? 'unknown';
  const repo =
    type === 'gitlab' ? pair(str('projectNamespace'), str('projectName')) : type === 'bitbucket' ? pair(str('owner'), str('slug')) : pair(str('org') ?? str('owner'), str('repo'));
  return { type, repo, productionBranch: str('productionBranch') ?? '' };
}

function targetsOf(target: unknown): EnvTarget[] {
  const list = Array.isArray(target) ? target : typeof target === 'string' ? [target] : [];
  return ENV_TARGETS.filter((t) => list.includes(t));
}

export function urlParts(value: string): UrlParts | undefined {
  if (!URL.canParse(value)) return undefined;
  const u = new URL(value);
  return { scheme: u.protocol.replace(/:$/, ''), host: u.hostname.replace(/^\[|\]$/g, ''), sslmode: u.searchParams.get('sslmode') ?? undefined };
}

function passwordForms(raw: string): string[] {
  const encoded = new URL(raw).password;
  try {
    return [encoded, decodeURIComponent(encoded)];
  } catch {
    return [encoded];
  }
}

/** Turns a read value into what the snapshot may hold; a secret is registered with the redactor first. */
export function envValueOf(key: string, raw: string, spec: StackSpec, redactor: Redactor): EnvValue {
  if (!isSecretVar(key, spec.env.vars[key] ?? {})) return { kind: 'text', text: raw };
  const url = urlParts(raw);
  redactor.add(raw, ...(url ? passwordForms(raw) : []));
  return {
    kind: 'secret',
    length: raw.length,
    sha256: createHash('sha256').update(raw).digest('hex'),
    fingerprint: fingerprint(raw),
    ...(url ? { url } : {}),
  };
}

async function readEnvs(client: VercelClient, project: ProjectInfo, lookedUp: string, ctx: CollectContext): Promise<VercelEnvVar[]> {
  const { spec, redactor } = ctx;
  const envs = await listProjectEnvs(client, lookedUp, ctx.memo);
  const wanted = valueKeys(spec);
  return mapLimit(envs, VALUE_CONCURRENCY, async (e): Promise<VercelEnvVar> => {
    const base = { key: e.key, type: e.type, targets: targetsOf(e.target), ...(e.gitBranch ? { gitBranch: e.gitBranch } : {}) };
    if (!wanted.has(e.key) || e.type === 'system') return base;
    if (e.type === 'sensitive' || e.type === 'secret') return { ...base, value: { kind: 'unreadable', reason: `${e.type} values are write-only` } };
    if (e.type === 'plain' || e.decrypted === true) return { ...base, value: envValueOf(e.key, e.value, spec, redactor) };
    if (e.id === undefined) return { ...base, value: { kind: 'error', error: 'the API listed it without an id, so its value cannot be fetched' } };
    const id = e.id;
    try {
      // The list keeps encrypted values encrypted even with decrypt=true (vercel/sdk#118): fetch each by id.
      const one = await call(client, `the value of ${e.key}`, projectsGetProjectEnv(client.core, { idOrName: project.id, id, ...client.scope }, client.options));
      return { ...base, value: 'value' in one && typeof one.value === 'string' ? envValueOf(e.key, one.value, spec, redactor) : { kind: 'unreadable', reason: 'the API did not decrypt it' } };
    } catch (err) {
      return { ...base, value: { kind: 'error', error: describeError(err) } };
    }
  });
}

async function readDomain(client: VercelClient, project: ProjectInfo, name: string): Promise<DomainInfo | null> {
  try {
    const d = await call(client, `the project domain ${name}`, projectsGetProjectDomain(client.core, { idOrName: project.id, domain: name, ...client.scope }, client.options));
    return { verified: d.verified, redirect: d.redirect ?? null, verification: (d.verification ?? []).map((v) => `${v.type} ${v.domain}`) };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

async function readDeployments(client: VercelClient, project: ProjectInfo): Promise<ProductionDeployments> {
  const list: DeploymentInfo[] = [];
  let until: number | undefined;
  for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
    const r = await call(
      client,
      'the production deployments',
      deploymentsGetDeployments(client.core, { projectId: project.id, target: 'production', limit: DEPLOYMENT_PAGE, ...(until !== undefined ? { until } : {}), ...client.scope }, client.options),
    );
    list.push(...r.deployments.map((d) => ({ uid: d.uid, readyState: d.readyState, createdAt: d.createdAt })));
    // Two READY deployments answer both checks that read this list; older pages add nothing.
    if (r.pagination.next === null) return { list, complete: true };
    if (list.filter((d) => d.readyState === 'READY').length >= 2) return { list, complete: false };
    until = r.pagination.next;
  }
  return { list, complete: false };
}

async function readFirewall(client: VercelClient, project: ProjectInfo): Promise<FirewallInfo | null> {
  try {
    const fw = await call(client, 'the firewall configuration', securityGetFirewallConfig(client.core, { projectId: project.id, configVersion: 'active', ...client.scope }, client.options));
    return {
      enabled: fw.firewallEnabled,
      // The SDK renames the wire's ruleset ids (bot_protection) to camelCase; the spec names them as Vercel does.
      managedRules: Object.fromEntries(
        Object.entries(fw.managedRules ?? {}).map(([name, rule]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), Boolean((rule as { active?: unknown } | undefined)?.active)]),
      ),
      ipRules: fw.ips.map((ip) => ({ ip: ip.ip, action: ip.action })),
    };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

async function readCustomEnvironments(client: VercelClient, project: ProjectInfo): Promise<CustomEnvironmentInfo[]> {
  const r = await call(client, 'the custom environments', environmentGetProjectsByIdOrNameCustomEnvironments(client.core, { idOrName: project.id, ...client.scope }, client.options));
  return (r.environments ?? []).map((e) => ({ slug: e.slug, branchMatcher: e.branchMatcher ? { type: e.branchMatcher.type, pattern: e.branchMatcher.pattern } : undefined }));
}

async function readDrains(client: VercelClient, project: ProjectInfo): Promise<DrainInfo[]> {
  const r = await call(client, 'the drains', drainsGetDrains(client.core, { projectId: project.id, ...client.scope }, client.options));
  return r.drains.map((d) => ({
    name: d.name,
    endpointHost: d.delivery.type === 'http' && URL.canParse(d.delivery.endpoint) ? new URL(d.delivery.endpoint).hostname : undefined,
    carriesLogs: d.schemas.log !== undefined,
    status: d.status ?? 'enabled',
    disabledReason: d.disabledReason,
    ...drainFilter(d.filterV2?.filter),
    productionSampling: Math.min(1, ...(d.sampling ?? []).filter((x) => (x.env === undefined || x.env === 'production') && !x.requestPath).map((x) => x.rate)),
  }));
}

function drainFilter(f: GetDrainsDrainsFilter | undefined): Pick<DrainInfo, 'environments' | 'sources' | 'odataFilter'> {
  if (f === undefined) return { environments: undefined, sources: undefined, odataFilter: undefined };
  if (f.type === 'odata') return { environments: undefined, sources: undefined, odataFilter: f.text };
  const environments = f.deployment?.environments;
  const sources = f.log?.sources;
  return { environments: environments?.length ? environments : undefined, sources: sources?.length ? sources : undefined, odataFilter: undefined };
}

/** The logs of the newest READY production deployment: the one users are served. */
async function readLiveLogs(target: VercelTarget, scope: VercelClient['scope'], project: ProjectInfo, deployments: Probe<ProductionDeployments>, ctx: CollectContext): Promise<RuntimeLogs> {
  if (!deployments.ok) throw new Error(`the production deployments could not be listed (${deployments.error})`);
  const live = deployments.value.list.find((d) => d.readyState === 'READY');
  if (!live) throw new Error('no production deployment is READY, so none has runtime logs to read');
  return readRuntimeLogs(target, scope, project.id, live, ctx.redactor, ctx.signal);
}

export const vercelCollector: Collector<VercelSnapshot> = {
  target: 'vercel',
  applies(spec, targets) {
    if (!spec.vercel) return 'The stack has no prodcheck:vercel section.';
    if (!targets.vercel) return 'No vercel entry in the targets file (token, teamId).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<VercelSnapshot> {
    const target = ctx.targets.vercel;
    const vercel = ctx.spec.vercel;
    if (!target || !vercel) throw new Error('the vercel family runs only when applies() found its spec and target');
    ctx.redactor.add(target.token);
    const client = vercelClient(target, vercel.team, ctx.signal);
    const lookedUp = target.projectId ?? vercel.project;
    let project: ProjectInfo;
    try {
      const p = await call(client, `the project ${lookedUp}`, projectsGetProject(client.core, { idOrName: lookedUp, ...client.scope }, client.options));
      project = { id: p.id, name: p.name, framework: p.framework ?? null, link: linkOf(p.link) };
    } catch (e) {
      if (isNotFound(e)) return { project: null, lookedUp, why: describeError(e) };
      throw e;
    }
    const domainName = vercel.domain ?? ctx.spec.app.domain;
    // Everything at once; only the runtime logs wait, for the deployment list that names the live deployment.
    const deploymentsRead = probe(() => readDeployments(client, project));
    const [envs, domain, deployments, firewall, logs, drains, customEnvironments] = await Promise.all([
      probe(() => readEnvs(client, project, lookedUp, ctx)),
      probe(() => readDomain(client, project, domainName)),
      deploymentsRead,
      probe(() => readFirewall(client, project)),
      vercel.logs === undefined ? undefined : deploymentsRead.then((d) => probe(() => readLiveLogs(target, client.scope, project, d, ctx))),
      vercel.logDrain === undefined ? undefined : probe(() => readDrains(client, project)),
      vercel.staging === undefined ? undefined : probe(() => readCustomEnvironments(client, project)),
    ]);
    return { project, envs, domain: { name: domainName, info: domain }, deployments, firewall, logs, drains, customEnvironments, expect: target.expect };
  },
};
