/** JSON with sorted keys and no undefined members: equal inputs give equal text whatever their field order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * An idempotency key derived from the create parameters: a `pulumi up` retried after a create succeeded
 * at Stripe but before the state was saved sends the same key, and Stripe replays the first response
 * instead of creating a second object.
 */
export async function idempotencyKey(kind: string, params: unknown, salt = ''): Promise<string> {
  const { createHash } = await import('node:crypto');
  return `prodcheck-${kind}-${createHash('sha256').update(canonicalJson(params)).update(salt).digest('hex').slice(0, 40)}`;
}

interface Created {
  readonly id: string;
  readonly lastResponse?: { readonly headers: Readonly<Record<string, string>> };
}

/**
 * Creates once per set of parameters. A replayed response can also come from an earlier create of the
 * same parameters whose object was since archived or deleted (A → B → A within Stripe's 24 hours):
 * `current` says whether the replayed object is still usable, and a stale one is created afresh under a
 * key that names it, so a retry of that create is again idempotent.
 */
export async function createOnce<T extends Created>(
  kind: string,
  params: unknown,
  create: (idempotencyKey: string) => Promise<T>,
  current: (replayed: T) => Promise<T | undefined>,
): Promise<T> {
  let salt = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const created = await create(await idempotencyKey(kind, params, salt));
    if (created.lastResponse?.headers['idempotent-replayed'] !== 'true') return created;
    const live = await current(created);
    if (live) return live;
    salt += `:${created.id}`;
  }
  throw new Error(`Stripe kept replaying stale ${kind} creates for the same parameters; retry after 24 hours or change the inputs`);
}
