import { applyAccess } from './apply.js';
import { withAdmin } from './connect.js';
import { accessDrift } from './drift.js';
import { dropAccess } from './drop.js';
import { readAccess } from './read.js';
import type { AccessArgs, AccessState } from './types.js';

/** One provider operation each, free of Pulumi: the dynamic provider wraps them, tests call them directly. */

export function accessId(args: AccessArgs): string {
  return `${args.host}:${args.port}/${args.database}/${args.appRole}+${args.verifierRole}`;
}

async function applyAndRead(args: AccessArgs, keepCreated: readonly string[]): Promise<AccessState> {
  return withAdmin(args, async (client) => {
    const created = await applyAccess(client, args);
    const live = await readAccess(client, args);
    const createdRoles = [...new Set([...keepCreated, ...created])].filter((r) => r === args.appRole || r === args.verifierRole);
    return { ...args, ...live, createdRoles, drift: accessDrift(live, args) };
  });
}

export function createAccess(args: AccessArgs): Promise<AccessState> {
  return applyAndRead(args, []);
}

export function updateAccess(olds: AccessState, news: AccessArgs): Promise<AccessState> {
  return applyAndRead(news, olds.createdRoles);
}

/** The state with what the server holds now: `pulumi refresh` records it, and the next diff sees any drift. */
export async function refreshAccess(state: AccessState): Promise<AccessState> {
  return withAdmin(state, async (client) => {
    const live = await readAccess(client, state);
    return { ...state, ...live, drift: accessDrift(live, state) };
  });
}

export async function deleteAccess(state: AccessState): Promise<void> {
  await withAdmin(state, (client) => dropAccess(client, state));
}
