/**
 * What a message may say about a secret: its key-prefix class and its length, never a character of
 * the value beyond the documented prefix (DESIGN.md: secrets never printed).
 */
const KEY_PREFIX = /^(sk|rk|pk)_(live|test)_/;

/** `a test-mode key (sk_test_…)`, `a webhook signing secret (whsec_…)`, `a value that is not a Stripe key (length 12)`. */
export function keyClass(value: string): string {
  const m = KEY_PREFIX.exec(value);
  if (m) return `a ${m[2] === 'live' ? 'live-mode' : 'test-mode'} key (${m[0]}…)`;
  if (value.startsWith('whsec_')) return 'a webhook signing secret (whsec_…)';
  if (value === '') return 'an empty value';
  return `a value that is not a Stripe key (length ${value.length})`;
}

export function isLiveKey(value: string, kinds: readonly string[]): boolean {
  return kinds.some((k) => value.startsWith(`${k}_live_`));
}

/** Secret-shaped content a browser must never receive: live/test secret keys, webhook secrets, service-role JWTs. */
export function secretShape(value: string): string | undefined {
  if (/^(sk|rk)_(live|test)_/.test(value)) return 'a Stripe secret key';
  if (value.startsWith('whsec_')) return 'a Stripe webhook signing secret';
  const jwt = /^eyJ[\w-]+\.([\w-]+)\.[\w-]+$/.exec(value);
  if (jwt?.[1] !== undefined) {
    try {
      const claims = JSON.parse(Buffer.from(jwt[1], 'base64url').toString('utf8')) as { role?: unknown };
      if (claims.role === 'service_role') return 'a JWT with role service_role';
    } catch {
      return undefined;
    }
  }
  return undefined;
}
