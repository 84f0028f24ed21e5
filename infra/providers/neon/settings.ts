import type * as pulumi from '@pulumi/pulumi';
import { UNKNOWN } from '../unknown.js';


/** What the checklist asks of a Neon project, as one resource: history retention, IP Allow, the protected production branch. */
export interface NeonSettingsArgs {
  /** A Neon API key that may change the project (a secret input; kept secret in the state). */
  readonly apiKey: string;
  /** Another API root (the local Neon API in tests and the sandbox). */
  readonly baseUrl?: string | undefined;
  readonly projectId: string;
  /** The point-in-time window, in seconds (Neon: 0 to 2592000). */
  readonly historyRetentionSeconds: number;
  /** IP Allow: addresses, CIDRs or ranges; an empty list lets every address connect. */
  readonly allowedIps: readonly string[];
  /** The production branch by name or id. */
  readonly branch: string;
  readonly protectBranch: boolean;
}

export interface NeonSettingsState extends NeonSettingsArgs {
  /** The production branch's id, as Neon resolved `branch`. */
  readonly branchId: string;
}

const MAX_RETENTION = 2_592_000;

/**
 * Neon's official client, loaded inside the call: a dynamic provider is serialized into the Pulumi state,
 * and a module or key captured in its closure would be serialized with it. Bounded: 30 s and 16 MiB a call.
 */
async function neonApi(a: Pick<NeonSettingsArgs, 'apiKey' | 'baseUrl'>) {
  const { createApiClient } = await import('@neondatabase/api-client');
  return createApiClient({ apiKey: a.apiKey, baseURL: a.baseUrl ?? 'https://console.neon.tech/api/v2', timeout: 30_000, maxContentLength: 16 * 1024 * 1024, maxRedirects: 0 });
}

/** A Neon API failure with Neon's own message and what was being done; never the key. */
function neonError(what: string, e: unknown): Error {
  const r = (e as { response?: { status?: number; data?: { message?: unknown } } }).response;
  const said = typeof r?.data?.message === 'string' ? `: ${r.data.message.slice(0, 300)}` : '';
  return new Error(r ? `Neon API answered HTTP ${r.status ?? '?'}${said} ${what}` : `could not reach the Neon API ${what}: ${(e as Error).message ?? String(e)}`);
}

async function call<T>(what: string, run: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await run()).data;
  } catch (e) {
    throw neonError(what, e);
  }
}

type Api = Awaited<ReturnType<typeof neonApi>>;

async function findBranch(api: Api, projectId: string, branch: string): Promise<{ id: string; protected: boolean }> {
  const body = await call('listing the branches', () => api.listProjectBranches({ projectId, limit: 10_000 }));
  const b = body.branches.find((x) => x.id === branch) ?? body.branches.find((x) => x.name === branch);
  if (!b) throw new Error(`Neon project ${projectId} has no branch "${branch}" (by name or id)`);
  return { id: b.id, protected: b.protected };
}

/** Writes the settings and reads them back: what Neon holds is the state, not what was asked. */
async function apply(a: NeonSettingsArgs): Promise<NeonSettingsState> {
  const api = await neonApi(a);
  await call(`setting history retention and IP Allow of ${a.projectId}`, () =>
    api.updateProject(a.projectId, { project: { history_retention_seconds: a.historyRetentionSeconds, settings: { allowed_ips: { ips: [...a.allowedIps], protected_branches_only: false } } } }),
  );
  const b = await findBranch(api, a.projectId, a.branch);
  if (b.protected !== a.protectBranch) await call(`protecting branch ${a.branch}`, () => api.updateProjectBranch(a.projectId, b.id, { branch: { protected: a.protectBranch } }));
  const state = await readState(a, a.projectId);
  if (!state) throw new Error(`Neon project ${a.projectId} disappeared while its settings were written`);
  return state;
}

async function readState(a: NeonSettingsArgs, projectId: string): Promise<NeonSettingsState | undefined> {
  const api = await neonApi(a);
  let project;
  try {
    project = (await api.getProject(projectId)).data.project;
  } catch (e) {
    if ((e as { response?: { status?: number } }).response?.status === 404) return undefined;
    throw neonError(`reading project ${projectId}`, e);
  }
  const b = await findBranch(api, projectId, a.branch);
  return {
    ...a,
    projectId,
    historyRetentionSeconds: project.history_retention_seconds,
    allowedIps: project.settings?.allowed_ips?.ips ?? [],
    protectBranch: b.protected,
    branchId: b.id,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The Neon project's settings as a Pulumi dynamic resource, on Neon's API. The project itself is not
 * created or deleted here: deleting this resource leaves the settings as they are (removing it from the
 * program must not open production or drop its history).
 */
export const neonSettingsProvider: pulumi.dynamic.ResourceProvider<NeonSettingsArgs, NeonSettingsState> = {
  async check(_olds, news) {
    const failures: { property: string; reason: string }[] = [];
    const h = news.historyRetentionSeconds as unknown;
    if (typeof h !== 'number' || !Number.isInteger(h) || h < 0 || h > MAX_RETENTION) failures.push({ property: 'historyRetentionSeconds', reason: `must be a whole number of seconds from 0 to ${MAX_RETENTION} (30 days, Neon's most)` });
    if (typeof news.projectId !== 'string' || (news.projectId !== UNKNOWN && !/^[a-z0-9-]{1,60}$/.test(news.projectId))) failures.push({ property: 'projectId', reason: 'must be a Neon project id' });
    if (!Array.isArray(news.allowedIps)) failures.push({ property: 'allowedIps', reason: 'must be a list' });
    else if (news.allowedIps.some((ip) => ip === '0.0.0.0/0' || ip === '::/0')) failures.push({ property: 'allowedIps', reason: 'must not allow every address (0.0.0.0/0 or ::/0)' });
    if (typeof news.apiKey !== 'string' || news.apiKey === '') failures.push({ property: 'apiKey', reason: 'must be a Neon API key' });
    return { inputs: news, failures };
  },
  async create(inputs) {
    const state = await apply(inputs);
    return { id: inputs.projectId, outs: state };
  },
  async read(id, props) {
    if (!props) throw new Error(`cannot read the settings of Neon project ${id} without their state (pulumi import is not supported: declare them in the program)`);
    const state = await readState(props, id);
    return state ? { id, props: state } : {};
  },
  async diff(_id, olds, news) {
    const replaces = olds.projectId !== news.projectId ? ['projectId'] : [];
    const changes =
      replaces.length > 0 ||
      olds.historyRetentionSeconds !== news.historyRetentionSeconds ||
      !sameList(olds.allowedIps, news.allowedIps) ||
      olds.protectBranch !== news.protectBranch ||
      olds.branch !== news.branch ||
      olds.apiKey !== news.apiKey ||
      (olds.baseUrl ?? '') !== (news.baseUrl ?? '');
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },
  async delete() {
    // Deliberately nothing: see the provider's comment.
  },
};
