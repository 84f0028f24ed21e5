import { applyAccess } from './apply.js';
import { withAdmin } from './connect.js';
import { accessDrift } from './drift.js';
import { dropAccess } from './drop.js';
import { readAccess } from './read.js';
import type { AccessArgs, AccessState } from './types.js';
import { claimOf } from './types.js';

/** One provider operation each, free of Pulumi: the dynamic provider wraps them, tests call them directly. */

export function accessId(args: AccessArgs): string {
  return `${args.host}:${args.port}/${args.database}/${args.appRole}+${args.verifierRole}`;
}

async function applyAndRead(args: AccessArgs, claim: string, createdBefore: readonly string[]): Promise<AccessState> {
  return withAdmin(args, async (client) => {
    const createdRoles = await applyAccess(client, args, claim, createdBefore);
    const live = await readAccess(client, args);
    return { ...args, ...live, claim, createdRoles, drift: accessDrift(live, args) };
  });
}

/** A claim of its own for each resource: two stacks managing the same roles must not release each other's. */
export async function createAccess(args: AccessArgs): Promise<AccessState> {
  const { randomUUID } = await import('node:crypto');
  return applyAndRead(args, `${accessId(args)}#${randomUUID()}`, []);
}

export function updateAccess(olds: AccessState, news: AccessArgs): Promise<AccessState> {
  return applyAndRead(news, claimOf(olds), olds.createdRoles);
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
