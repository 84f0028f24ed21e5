import type { Client } from 'pg';

/**
 * Which access resources manage a role, kept with the role itself (its comment, in the cluster-wide
 * catalogue) because roles outlive any one resource: when the engine replaces a resource it creates the
 * new one first and deletes the old one after, and the old one's delete must not drop roles that the new
 * one (or another stack) still manages. A role is dropped only by the last resource that claims it, and
 * only if a prodcheck resource created it.
 */
export interface RoleClaims {
  /** A prodcheck access resource created the role (so one may drop it). */
  readonly created: boolean;
  /** The live resources that manage it: claim → the database whose grants it manages. */
  readonly claims: Readonly<Record<string, string>>;
}

const PREFIX = 'prodcheck-pulumi:';

/** Our line of the comment, if any; the rest of the comment (a platform's own text) is never touched. */
export function parseClaims(comment: string | null): RoleClaims | undefined {
  const line = (comment ?? '').split('\n').find((l) => l.startsWith(PREFIX));
  if (line === undefined) return undefined;
  try {
    const v = JSON.parse(line.slice(PREFIX.length)) as { created?: unknown; claims?: unknown };
    const claims = typeof v.claims === 'object' && v.claims !== null ? Object.entries(v.claims).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
    return { created: v.created === true, claims: Object.fromEntries(claims) };
  } catch {
    return undefined;
  }
}

/** The comment with our line replaced (or removed when nothing is left to record). */
export function formatClaims(comment: string | null, claims: RoleClaims): string | null {
  const others = (comment ?? '').split('\n').filter((l) => !l.startsWith(PREFIX) && l !== '');
  const sorted = Object.fromEntries(Object.entries(claims.claims).sort(([a], [b]) => a.localeCompare(b)));
  const ours = Object.keys(sorted).length > 0 ? [`${PREFIX}${JSON.stringify({ created: claims.created, claims: sorted })}`] : [];
  const lines = [...others, ...ours];
  return lines.length > 0 ? lines.join('\n') : null;
}

export interface ClaimedRole {
  readonly exists: boolean;
  readonly comment: string | null;
  readonly claims: RoleClaims | undefined;
}

export async function readClaims(client: Client, role: string): Promise<ClaimedRole> {
  const r = await client.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [role]);
  const row = r.rows[0];
  if (row === undefined) return { exists: false, comment: null, claims: undefined };
  return { exists: true, comment: row.comment, claims: parseClaims(row.comment) };
}

async function writeComment(client: Client, role: string, comment: string | null): Promise<void> {
  await client.query(`COMMENT ON ROLE ${client.escapeIdentifier(role)} IS ${comment === null ? 'NULL' : client.escapeLiteral(comment)}`);
}

/**
 * Records `claim` on the role inside the caller's transaction. A role the admin may not comment on
 * (a platform role it does not administer) cannot be dropped by it either, so the claim is skipped
 * there. Returns whether the role now counts as created by prodcheck.
 */
export async function addClaim(client: Client, role: string, claim: string, database: string, created: boolean): Promise<boolean> {
  const found = await readClaims(client, role);
  const next: RoleClaims = { created: created || found.claims?.created === true, claims: { ...found.claims?.claims, [claim]: database } };
  await client.query('SAVEPOINT prodcheck_claim');
  try {
    await writeComment(client, role, formatClaims(found.comment, next));
    await client.query('RELEASE SAVEPOINT prodcheck_claim');
  } catch (e) {
    // 42501 insufficient_privilege: not ours to record on, and not ours to drop.
    if ((e as { code?: string }).code !== '42501') throw e;
    await client.query('ROLLBACK TO SAVEPOINT prodcheck_claim');
  }
  return next.created;
}

/** What a delete does to a role once its claim is off. */
export type Release = 'drop' | 'revoke' | 'keep';

/**
 * Takes `claim` off the role. `drop` when no other resource claims it and prodcheck created it
 * (`createdByState`: a state written before claims existed says so); `revoke` (its grants in this
 * database) when the others manage other databases; `keep` when another manages this database, or the
 * role is a platform's. A role that stays keeps the record of its creation, so the last claimant drops it.
 */
export async function releaseClaim(client: Client, role: string, claim: string, database: string, createdByState: boolean): Promise<Release> {
  const found = await readClaims(client, role);
  if (!found.exists) return 'keep';
  const created = createdByState || found.claims?.created === true;
  const others = Object.fromEntries(Object.entries(found.claims?.claims ?? {}).filter(([c]) => c !== claim));
  const databases = Object.values(others);
  if (databases.length === 0 && created) return 'drop';
  if (found.claims !== undefined) await writeComment(client, role, formatClaims(found.comment, { created, claims: others }));
  if (databases.length === 0) return 'keep';
  return databases.includes(database) ? 'keep' : 'revoke';
}
