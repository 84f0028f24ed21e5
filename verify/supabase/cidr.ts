/** IPv4 CIDR arithmetic for the network-restrictions check (Supabase lists IPv4 and IPv6 ranges apart). */

function ipv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** [first, last] address of an IPv4 CIDR; undefined when it is not one. */
export function rangeOf(cidr: string): readonly [number, number] | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const base = ipv4(m[1] ?? '');
  const bits = Number(m[2]);
  if (base === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

/** Whether every address of `inner` lies inside one of `outers`. */
export function within(inner: string, outers: readonly string[]): boolean {
  const r = rangeOf(inner);
  if (!r) return false;
  return outers.some((o) => {
    const q = rangeOf(o);
    return q !== undefined && q[0] <= r[0] && r[1] <= q[1];
  });
}
