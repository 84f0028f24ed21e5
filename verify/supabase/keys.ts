/** What a Supabase API key says about itself: a legacy key is a JWT whose claims name the project and role. */
export interface KeyClaims {
  readonly role?: string;
  readonly ref?: string;
}

/** The role and ref claims of a JWT-shaped key, or undefined when the value is no JWT. Never verifies: equality with the project's key does. */
export function claimsOf(value: string): KeyClaims | undefined {
  const parts = value.trim().split('.');
  if (parts.length !== 3 || !parts[0]?.startsWith('eyJ')) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return undefined;
    const { role, ref } = payload as { role?: unknown; ref?: unknown };
    return { ...(typeof role === 'string' ? { role } : {}), ...(typeof ref === 'string' ? { ref } : {}) };
  } catch {
    return undefined;
  }
}

/** Whether a value is a service-role credential of any project: a service_role JWT or an sb_secret_ key. */
export function isServiceRoleShaped(value: string): boolean {
  return value.trim().startsWith('sb_secret_') || claimsOf(value)?.role === 'service_role';
}
