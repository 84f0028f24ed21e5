import { updateAccess } from '../providers/postgres/ops.js';
import type { AccessArgs, AccessState } from '../providers/postgres/types.js';

/**
 * The Lambda that applies the Postgres access rules from inside the VPC (postgres:accessVia lambda).
 * The program invokes it through aws.lambda.Invocation with lifecycleScope CRUD, which adds `tf`
 * ({ action: create | update | delete, prev_input }) to the event. Bundled with esbuild into one file
 * (bundle.ts); it reaches the database over the VPC and nothing else.
 */
export interface AccessEvent extends AccessArgs {
  /** Recorded on the roles (claims.ts): stable per stack and database, so each update keeps its own claim. */
  readonly claim: string;
  readonly tf?: { readonly action?: string };
}

/** What the invocation result holds: no secret (the engine stores it as a secret output all the same). */
export interface AccessResult {
  readonly action: string;
  readonly createdRoles: readonly string[];
  readonly drift: readonly string[];
}

export async function handler(event: AccessEvent): Promise<AccessResult> {
  const { tf, claim, ...args } = event;
  const action = tf?.action ?? 'create';
  // Deleting the invocation (a destroy, or a replacement that creates the new one first) drops nothing:
  // the roles may be in use by the replacement, and they go with the instance when it is deleted.
  if (action === 'delete') return { action, createdRoles: [], drift: [] };
  // Apply under this stack's claim (the roles' comments remember which roles the claim created).
  const previous = { ...args, claim, createdRoles: [] } as unknown as AccessState;
  const state = await updateAccess(previous, args);
  return { action, createdRoles: state.createdRoles, drift: state.drift };
}
