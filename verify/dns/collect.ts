import { Resolver } from 'node:dns/promises';
import type { DnsSpec, StackSpec } from '../../spec/index.js';
import { describeError } from '../net.js';
import type { Collector, Probe } from '../types.js';

export type RecordType = DnsSpec['records'][number]['type'];

export interface MxAnswer {
  readonly exchange: string;
  readonly priority: number;
}

export interface DnsSnapshot {
  /** The resolvers asked, or "the system resolver". */
  readonly via: string;
  /** Answers by "TYPE name"; null when the name has no such record (NXDOMAIN or NODATA). */
  readonly records: Readonly<Record<string, Probe<readonly string[] | null>>>;
  /** MX answers by name. */
  readonly mx: Readonly<Record<string, Probe<readonly MxAnswer[] | null>>>;
}

/** Answers that say the record does not exist; every other failure means the question went unanswered. */
const ABSENT = new Set(['ENODATA', 'ENOTFOUND']);

export const recordKey = (type: string, name: string) => `${type} ${name.toLowerCase()}`;
export const normalizeHost = (h: string) => h.toLowerCase().replace(/\.$/, '');
export const mxName = (spec: StackSpec, name: string | undefined) => (name ?? spec.app.domain).toLowerCase();

async function ask<T>(run: () => Promise<T>): Promise<Probe<T | null>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ABSENT.has(code)) return { ok: true, value: null };
    return { ok: false, error: describeError(e) };
  }
}

function lookup(resolver: Resolver, type: RecordType, name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name).then((hosts) => hosts.map(normalizeHost));
    case 'TXT':
      // A TXT record longer than 255 bytes arrives in chunks; the value is their concatenation.
      return resolver.resolveTxt(name).then((records) => records.map((chunks) => chunks.join('')));
  }
}

export const dnsCollector: Collector<DnsSnapshot> = {
  target: 'dns',
  applies(spec, targets) {
    if (!spec.dns) return 'The stack has no prodcheck:dns section.';
    if (!targets.dns) return 'No dns entry in the targets file (add `dns: {}` to use the system resolver).';
    return undefined;
  },
  async collect(ctx) {
    const t = ctx.targets.dns;
    const dns = ctx.spec.dns;
    if (!t || !dns) throw new Error('the dns family runs only when applies() found its spec and target');
    const resolver = new Resolver({ timeout: t.timeoutMs, tries: 2 });
    try {
      if (t.servers.length > 0) resolver.setServers(t.servers);
    } catch (e) {
      throw new Error(`targets dns.servers must be IP or IP:port entries (${describeError(e)})`);
    }
    const onAbort = () => resolver.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const records = await Promise.all(dns.records.map(async (r) => [recordKey(r.type, r.name), await ask(() => lookup(resolver, r.type, r.name))] as const));
      const names = [...new Set(dns.mx.map((m) => mxName(ctx.spec, m.name)))];
      const mx = await Promise.all(
        names.map(async (name) => [name, await ask(async () => (await resolver.resolveMx(name)).map((m) => ({ exchange: normalizeHost(m.exchange), priority: m.priority })))] as const),
      );
      return { via: t.servers.length > 0 ? t.servers.join(', ') : 'the system resolver', records: Object.fromEntries(records), mx: Object.fromEntries(mx) };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};
