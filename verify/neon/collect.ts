import type { Api, EndpointType } from '@neondatabase/api-client';
import { parseQualified } from '../../spec/index.js';
import type { NeonSpec, StackSpec } from '../../spec/index.js';
import { connectPg, pgConnection } from '../pg/connection.js';
import { notPostgresOn } from '../pg/provider.js';
import { marked } from '../pg/session.js';
import { probe } from '../probe.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import type { NeonTarget } from './client.js';
import { NeonApiError, neonCall, neonClient } from './client.js';

export interface NeonProject {
  readonly name: string;
  /** How long Neon keeps the WAL history every branch can be restored from (its point-in-time window). */
  readonly historyRetentionSeconds: number;
  /** The IP Allow list; an empty list lets every address connect. */
  readonly allowedIps: readonly string[];
  /** The list applies only to protected branches. */
  readonly allowedIpsProtectedOnly: boolean;
  /** Connections from the public internet are refused (private networking only). */
  readonly blockPublicConnections: boolean;
  /** New computes' autosuspend delay (0: Neon's default of 300 s, -1: never). */
  readonly defaultSuspendSeconds: number | undefined;
}

export interface NeonBranch {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly isProtected: boolean;
  readonly state: string;
}

export interface NeonEndpoint {
  readonly id: string;
  readonly host: string;
  readonly branchId: string;
  readonly type: string;
  readonly state: string;
  readonly disabled: boolean;
  /** Autosuspend delay (0: Neon's default of 300 s, -1: never suspends). */
  readonly suspendSeconds: number;
}

/** The --active restore test: a branch from a point in time, counted, deleted. */
export interface RestoreTest {
  readonly table: string;
  readonly minRows: number;
  /** ISO timestamp the branch was taken at. */
  readonly at: string;
  /** Why the test did not create a branch (nothing to restore from); the check says so. */
  readonly notRun?: string;
  /** notRun because the history does not reach back that far: the backup controls judge that. */
  readonly window?: boolean;
  readonly branchId?: string;
  readonly rows?: Probe<number>;
  /** Whether the test branch is gone again. */
  readonly deleted?: Probe<true>;
}

export interface NeonSnapshot {
  readonly projectId: string;
  /** null: Neon has no such project (or the key cannot see it). */
  readonly project: NeonProject | null;
  /** The production branch as the targets name it (undefined: the project's default branch). */
  readonly wantedBranch: string | undefined;
  readonly branches: Probe<readonly NeonBranch[]>;
  readonly endpoints: Probe<readonly NeonEndpoint[]>;
  /** The host and port of the app's DATABASE_URL (targets neon.databaseUrl), when given. */
  readonly appDatabase: { readonly host: string; readonly port: number } | undefined;
  /** undefined: the run is passive or the stack asks for no restore test. */
  readonly restoreTest: Probe<RestoreTest> | undefined;
}

/** Branch listings read at most (100 a page): more is an error, never a partial answer. */
const MAX_BRANCH_PAGES = 10;
/** How long the restore test waits for Neon's operations (branch and compute creation) to finish. */
const OPERATION_BUDGET_MS = 45_000;
const POLL_MS = 1_000;

interface WireProject {
  readonly name?: unknown;
  readonly history_retention_seconds?: unknown;
  readonly settings?: { readonly allowed_ips?: { readonly ips?: unknown; readonly protected_branches_only?: unknown }; readonly block_public_connections?: unknown };
  readonly default_endpoint_settings?: { readonly suspend_timeout_seconds?: unknown };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toProject(p: WireProject): NeonProject {
  const retention = p.history_retention_seconds;
  if (typeof retention !== 'number' || !Number.isFinite(retention)) throw new NeonApiError(undefined, 'the Neon API answered the project without a history_retention_seconds number');
  const ips = p.settings?.allowed_ips?.ips;
  if (ips !== undefined && ips !== null && !(Array.isArray(ips) && ips.every((i) => typeof i === 'string'))) throw new NeonApiError(undefined, 'the Neon API answered settings.allowed_ips.ips with something other than a list of strings');
  const suspend = p.default_endpoint_settings?.suspend_timeout_seconds;
  return {
    name: str(p.name) ?? '',
    historyRetentionSeconds: retention,
    allowedIps: (ips ?? []) as string[],
    allowedIpsProtectedOnly: p.settings?.allowed_ips?.protected_branches_only === true,
    blockPublicConnections: p.settings?.block_public_connections === true,
    defaultSuspendSeconds: typeof suspend === 'number' ? suspend : undefined,
  };
}

function toBranch(b: unknown): NeonBranch {
  if (!isObject(b) || typeof b.id !== 'string' || typeof b.name !== 'string') throw new NeonApiError(undefined, 'the Neon API listed a branch without an id and a name');
  return { id: b.id, name: b.name, isDefault: b.default === true, isProtected: b.protected === true, state: str(b.current_state) ?? 'unknown' };
}

function toEndpoint(e: unknown): NeonEndpoint {
  if (!isObject(e) || typeof e.id !== 'string' || typeof e.host !== 'string' || typeof e.branch_id !== 'string') throw new NeonApiError(undefined, 'the Neon API listed an endpoint without an id, host and branch_id');
  return {
    id: e.id,
    host: e.host,
    branchId: e.branch_id,
    type: str(e.type) ?? 'unknown',
    state: str(e.current_state) ?? 'unknown',
    disabled: e.disabled === true,
    suspendSeconds: typeof e.suspend_timeout_seconds === 'number' ? e.suspend_timeout_seconds : 0,
  };
}

async function readProject(api: Api<unknown>, id: string, signal: AbortSignal): Promise<NeonProject | null> {
  try {
    const body = await neonCall(`the project ${id}`, () => api.getProject(id, { signal }));
    if (!isObject(body.project)) throw new NeonApiError(undefined, `the Neon API answered the project ${id} without a project object`);
    return toProject(body.project as WireProject);
  } catch (e) {
    if (e instanceof NeonApiError && e.status === 404) return null;
    throw e;
  }
}

async function readBranches(api: Api<unknown>, projectId: string, signal: AbortSignal): Promise<NeonBranch[]> {
  const out: NeonBranch[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page === MAX_BRANCH_PAGES) throw new NeonApiError(undefined, `the branches of ${projectId} run past ${MAX_BRANCH_PAGES * 100}: prodcheck reads no further, so it cannot judge them all`);
    const body = await neonCall('the branches', () => api.listProjectBranches({ projectId, limit: 100, ...(cursor ? { cursor } : {}) }, { signal }));
    if (!Array.isArray(body.branches)) throw new NeonApiError(undefined, 'the Neon API answered the branch listing without a branches list');
    out.push(...body.branches.map(toBranch));
    const next = (body as { pagination?: { next?: unknown } }).pagination?.next;
    if (typeof next !== 'string' || next === '' || body.branches.length === 0) return out;
    cursor = next;
  }
}

async function readEndpoints(api: Api<unknown>, projectId: string, signal: AbortSignal): Promise<NeonEndpoint[]> {
  const body = await neonCall('the compute endpoints', () => api.listProjectEndpoints(projectId, { signal }));
  if (!Array.isArray(body.endpoints)) throw new NeonApiError(undefined, 'the Neon API answered the endpoint listing without an endpoints list');
  return body.endpoints.map(toEndpoint);
}

/** The production branch: the one the targets name (by id or name), else the project's default branch. */
export function productionBranch(branches: readonly NeonBranch[], wanted: string | undefined): NeonBranch | undefined {
  if (wanted === undefined) return branches.find((b) => b.isDefault);
  return branches.find((b) => b.id === wanted) ?? branches.find((b) => b.name === wanted);
}

function appDatabaseOf(url: string | undefined): NeonSnapshot['appDatabase'] {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  return { host: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : 5432 };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

/** Waits until every operation Neon started for the branch has finished; a failed one or the budget running out is an error. */
async function awaitOperations(api: Api<unknown>, projectId: string, ids: readonly string[], signal: AbortSignal): Promise<void> {
  const until = Date.now() + OPERATION_BUDGET_MS;
  for (const id of ids) {
    for (;;) {
      const body = await neonCall(`the operation ${id}`, () => api.getProjectOperation(projectId, id, { signal }));
      const status = str((body as { operation?: { status?: unknown } }).operation?.status);
      if (status === 'finished' || status === 'skipped') break;
      if (status === 'failed' || status === 'error' || status === 'cancelled' || status === 'cancelling') throw new NeonApiError(undefined, `Neon's operation ${id} for the test branch ended ${status}`);
      if (Date.now() > until) throw new NeonApiError(undefined, `Neon's operation ${id} for the test branch was still ${status ?? 'unknown'} after ${OPERATION_BUDGET_MS / 1000} s`);
      await sleep(POLL_MS, signal);
    }
  }
}

/**
 * Counts the table on the branch in a READ ONLY transaction: the branch is a copy, and even so nothing is written.
 * Connects as every other Postgres read does (sslmode as libpq applies it, retries, server-side deadline).
 */
async function countRows(uri: string, table: string, timeoutMs: number): Promise<number> {
  const { client } = await connectPg(pgConnection(uri, { timeoutMs }));
  try {
    const q = parseQualified(table);
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    const r = await client.query<{ n: string }>(marked(`SELECT count(*)::text AS n FROM ${client.escapeIdentifier(q.schema)}.${client.escapeIdentifier(q.name)}`));
    await client.query('ROLLBACK');
    return Number(r.rows[0]?.n ?? Number.NaN);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * pg.backups.restore-test on Neon: a branch of the production branch as it was `ageMinutes` ago (parent_timestamp),
 * its table counted, and the branch deleted again, whatever happened in between. Production is only read: a
 * branch is a copy-on-write child, and the count runs READ ONLY on the child.
 */
async function restoreTest(api: Api<unknown>, ctx: CollectContext, t: NeonTarget, test: NonNullable<NeonSpec['restoreTest']>, project: NeonProject, prod: NeonBranch | undefined, spec: StackSpec): Promise<RestoreTest> {
  const at = new Date(Date.now() - test.ageMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = { table: test.table, minRows: test.minRows, at };
  if (!prod) return { ...base, notRun: 'the production branch was not found' };
  if (project.historyRetentionSeconds < test.ageMinutes * 60) {
    return { ...base, window: true, notRun: `the history retention (${project.historyRetentionSeconds} s) does not reach back ${test.ageMinutes} minutes` };
  }
  const name = `prodcheck-restore-test-${Date.now()}`;
  const created = await neonCall('a test branch (create)', () =>
    api.createProjectBranch(t.projectId, { branch: { parent_id: prod.id, name, parent_timestamp: at }, endpoints: [{ type: 'read_write' as EndpointType }] }, { signal: ctx.signal }),
  );
  const branchId = str((created as { branch?: { id?: unknown } }).branch?.id);
  if (!branchId) throw new NeonApiError(undefined, 'the Neon API created the test branch but did not say its id (delete any prodcheck-restore-test-* branch by hand)');
  // probe() never throws: the branch is deleted below whatever the count met.
  const rows = await probe(async () => {
    const ops = ((created as { operations?: unknown }).operations ?? []) as { id?: unknown }[];
    await awaitOperations(api, t.projectId, ops.flatMap((o) => (typeof o.id === 'string' ? [o.id] : [])), ctx.signal);
    let uri = str((created as { connection_uris?: { connection_uri?: unknown }[] }).connection_uris?.[0]?.connection_uri);
    if (!uri) {
      if (!t.restoreRole) throw new NeonApiError(undefined, 'Neon gave no connection URI for the test branch (the project has several roles or databases): set targets neon.restoreRole');
      const role = t.restoreRole;
      const got = await neonCall('the test branch connection URI', () =>
        api.getConnectionUri({ projectId: t.projectId, branch_id: branchId, database_name: spec.postgres?.database ?? 'neondb', role_name: role, pooled: false }, { signal: ctx.signal }),
      );
      uri = str((got as { uri?: unknown }).uri);
      if (!uri) throw new NeonApiError(undefined, 'the Neon API answered the connection URI request without a uri');
    }
    ctx.redactor.add(uri);
    const password = URL.canParse(uri) ? new URL(uri).password : '';
    if (password) ctx.redactor.add(password, decodeURIComponent(password));
    return countRows(uri, test.table, t.timeoutMs);
  });
  // With a signal of its own: a run that gave up on the target must not leave the branch behind.
  const deleted = await probe(async () => {
    await neonCall(`the test branch ${branchId} (delete)`, () => api.deleteProjectBranch({ projectId: t.projectId, branchId }, { signal: AbortSignal.timeout(t.timeoutMs) }));
    return true as const;
  });
  return { ...base, branchId, rows, deleted };
}

export const neonCollector: Collector<NeonSnapshot> = {
  target: 'neon',
  applies(spec, targets) {
    const notHere = notPostgresOn(spec, 'neon');
    if (notHere) return notHere;
    if (!targets.neon) return 'No neon entry in the targets file (projectId, apiKey).';
    return undefined;
  },
  async collect(ctx) {
    const t = ctx.targets.neon;
    if (!t) throw new Error('the neon family runs only when applies() found its target');
    ctx.redactor.add(t.apiKey);
    // Only the URL's password is secret: registering the whole URL would mask the host names the checks report.
    const appPassword = t.databaseUrl && URL.canParse(t.databaseUrl) ? new URL(t.databaseUrl).password : '';
    if (appPassword) ctx.redactor.add(appPassword, decodeURIComponent(appPassword));
    const api = await neonClient(t);
    const project = await readProject(api, t.projectId, ctx.signal);
    const base = { projectId: t.projectId, wantedBranch: t.branch, appDatabase: appDatabaseOf(t.databaseUrl) };
    if (project === null) {
      const none: Probe<never> = { ok: false, error: 'no project' };
      return { ...base, project, branches: none, endpoints: none, restoreTest: undefined };
    }
    const [branches, endpoints] = await Promise.all([probe(() => readBranches(api, t.projectId, ctx.signal)), probe(() => readEndpoints(api, t.projectId, ctx.signal))]);
    const test = ctx.spec.neon?.restoreTest;
    const restore =
      ctx.active && test
        ? branches.ok
          ? await probe(() => restoreTest(api, ctx, t, test, project, productionBranch(branches.value, t.branch), ctx.spec))
          : ({ ok: false, error: `the branches could not be read (${branches.error})` } as const)
        : undefined;
    return { ...base, project, branches, endpoints, restoreTest: restore };
  },
};

