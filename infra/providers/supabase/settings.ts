import type * as pulumi from '@pulumi/pulumi';
import { managementCall, type SupabaseConnection } from './api.js';
import { UNKNOWN } from '../unknown.js';

const REF = /^[a-z]{20}$/;
const CIDR_V4 = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const CIDR_V6 = /^[0-9a-f:]+\/\d{1,3}$/i;

/** The database settings of one Supabase project that the checklist asks for. */
export interface ProjectSettingsArgs {
  readonly projectRef: string;
  /** Network restrictions: the only addresses that may connect to the database (empty: none). */
  readonly dbAllowedCidrs: readonly string[];
  readonly dbAllowedCidrsV6: readonly string[];
  /** SSL enforcement on database connections. */
  readonly sslEnforced: boolean;
  /** Supavisor pool mode of the primary database; left as it is when omitted. */
  readonly poolMode?: 'transaction' | 'session' | undefined;
}

export interface ProjectSettingsState {
  readonly projectRef: string;
  readonly dbAllowedCidrs: string[];
  readonly dbAllowedCidrsV6: string[];
  readonly sslEnforced: boolean;
  readonly poolMode: string | null;
}

type WithConnection<T> = T & SupabaseConnection;

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();

/** The project's settings as the Management API has them now. */
export async function readSettings(conn: SupabaseConnection, ref: string): Promise<ProjectSettingsState> {
  const [network, ssl, poolers] = await Promise.all([
    managementCall(conn, ref, 'GET', '/network-restrictions') as Promise<{ config?: { dbAllowedCidrs?: string[]; dbAllowedCidrsV6?: string[] } }>,
    managementCall(conn, ref, 'GET', '/ssl-enforcement') as Promise<{ currentConfig?: { database?: boolean } }>,
    managementCall(conn, ref, 'GET', '/config/database/pooler') as Promise<{ database_type?: string; pool_mode?: string }[]>,
  ]);
  const primary = Array.isArray(poolers) ? poolers.find((p) => p.database_type === 'PRIMARY') : undefined;
  return {
    projectRef: ref,
    dbAllowedCidrs: sorted(network.config?.dbAllowedCidrs),
    dbAllowedCidrsV6: sorted(network.config?.dbAllowedCidrsV6),
    sslEnforced: ssl.currentConfig?.database === true,
    poolMode: primary?.pool_mode ?? null,
  };
}

/** Applies every setting (each call is idempotent: the same inputs leave the same project). */
export async function applySettings(conn: SupabaseConnection, a: ProjectSettingsArgs): Promise<ProjectSettingsState> {
  await managementCall(conn, a.projectRef, 'POST', '/network-restrictions/apply', { dbAllowedCidrs: sorted(a.dbAllowedCidrs), dbAllowedCidrsV6: sorted(a.dbAllowedCidrsV6) });
  await managementCall(conn, a.projectRef, 'PUT', '/ssl-enforcement', { requestedConfig: { database: a.sslEnforced } });
  if (a.poolMode !== undefined) await managementCall(conn, a.projectRef, 'PATCH', '/config/database/pooler', { pool_mode: a.poolMode });
  return readSettings(conn, a.projectRef);
}

function checkArgs(a: Partial<WithConnection<ProjectSettingsArgs>>): pulumi.dynamic.CheckFailure[] {
  const out: pulumi.dynamic.CheckFailure[] = [];
  if (typeof a.accessToken !== 'string' || a.accessToken === '') out.push({ property: 'accessToken', reason: 'must be a Supabase Management API access token' });
  if (a.projectRef !== UNKNOWN && !(typeof a.projectRef === 'string' && REF.test(a.projectRef))) out.push({ property: 'projectRef', reason: 'must be a Supabase project ref (20 lower-case letters)' });
  for (const c of a.dbAllowedCidrs ?? []) if (c !== UNKNOWN && !CIDR_V4.test(c)) out.push({ property: 'dbAllowedCidrs', reason: `"${c}" is not an IPv4 CIDR such as 203.0.113.16/28` });
  for (const c of a.dbAllowedCidrsV6 ?? []) if (c !== UNKNOWN && !CIDR_V6.test(c)) out.push({ property: 'dbAllowedCidrsV6', reason: `"${c}" is not an IPv6 CIDR such as 2001:db8::/32` });
  if (a.poolMode !== undefined && a.poolMode !== 'transaction' && a.poolMode !== 'session') out.push({ property: 'poolMode', reason: 'must be transaction or session' });
  return out;
}

const withConnection = (state: ProjectSettingsState, conn: SupabaseConnection): WithConnection<ProjectSettingsState> => ({ ...state, accessToken: conn.accessToken, ...(conn.baseUrl ? { baseUrl: conn.baseUrl } : {}) });

/**
 * The database settings of an existing Supabase project as one resource: network restrictions, SSL
 * enforcement and the Supavisor pool mode. The id is the project ref. Read compares what the project
 * has now, so `pulumi refresh` sees a restriction opened in the dashboard. Delete leaves the project's
 * settings as they are: putting the defaults back (open to every address, SSL optional) would be the
 * very misconfiguration this resource exists to prevent.
 */
export const projectSettingsProvider: pulumi.dynamic.ResourceProvider<WithConnection<ProjectSettingsArgs>, WithConnection<ProjectSettingsState>> = {
  async check(_olds, news) {
    return { inputs: news, failures: checkArgs(news) };
  },
  async create(inputs) {
    const state = await applySettings(inputs, inputs);
    return { id: inputs.projectRef, outs: withConnection(state, inputs) };
  },
  async read(id, props) {
    if (!props?.accessToken) throw new Error(`cannot read Supabase project ${id} settings without an accessToken in the state (pulumi import is not supported: create it with the program)`);
    return { id, props: withConnection(await readSettings(props, id), props) };
  },
  async diff(_id, olds, news) {
    const replaces = olds.projectRef !== news.projectRef ? ['projectRef'] : [];
    const changes =
      replaces.length > 0 ||
      JSON.stringify(sorted(olds.dbAllowedCidrs)) !== JSON.stringify(sorted(news.dbAllowedCidrs)) ||
      JSON.stringify(sorted(olds.dbAllowedCidrsV6)) !== JSON.stringify(sorted(news.dbAllowedCidrsV6)) ||
      olds.sslEnforced !== news.sslEnforced ||
      (news.poolMode !== undefined && olds.poolMode !== news.poolMode) ||
      olds.accessToken !== news.accessToken ||
      (olds.baseUrl ?? '') !== (news.baseUrl ?? '');
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id, _olds, news) {
    return { outs: withConnection(await applySettings(news, news), news) };
  },
  async delete() {
    // Intentionally nothing: see the provider's comment.
  },
};
