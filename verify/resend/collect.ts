import { Resolver } from 'node:dns/promises';
import type { DomainDkimRecord, DomainRecords, DomainSpfRecord } from 'resend';
import { domainOfAddress, sendingDomainOf } from '../../spec/index.js';
import { normalizeHost } from '../dns/collect.js';
import { describeError } from '../net.js';
import { probe } from '../probe.js';
import type { Collector, Probe } from '../types.js';
import { ResendApiError, ResendClient, type KeyRefusal } from './client.js';
import { readAppFrom, type AppFrom } from './from.js';

/** A DNS record Resend asks for, its verdict on it, and what DNS answers for it now. */
export interface ExpectedRecord {
  /** SPF, DKIM (sending), Receiving, Tracking… */
  readonly record: string;
  readonly type: string;
  /** Fully qualified. */
  readonly name: string;
  readonly value: string;
  readonly priority?: number;
  /** Resend's status for the record: verified, pending, failed, temporary_failure, not_started. */
  readonly status: string;
  /** What the resolver answers: TXT strings (chunks joined), CNAME hosts, MX "priority exchange"; null: no such record. */
  readonly answer: Probe<readonly string[] | null>;
}

export interface ResendDomainState {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** The records that make sending work (SPF and DKIM); empty when Resend lists none. */
  readonly records: readonly ExpectedRecord[];
}

export interface ResendSnapshot {
  /** The sending domain to judge, and where it came from; undefined when it could not be told. */
  readonly domain: { readonly name: string; readonly source: string } | undefined;
  /** The app's From address on Vercel (undefined: the stack declares no From var). */
  readonly appFrom: Probe<AppFrom> | undefined;
  /** full: the key reads domains; otherwise why Resend refused it, with Resend's answer. */
  readonly access: { readonly kind: 'full' } | { readonly kind: KeyRefusal; readonly detail: string };
  /** null: Resend has no such domain (or the key could not list domains). */
  readonly found: ResendDomainState | null;
  /** The resolvers asked, as the dns family names them. */
  readonly via: string;
}

/** Answers that say the record does not exist (as the dns family reads them). */
const ABSENT = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Resend names records relative to the registered zone: for mail.example.com it lists "send.mail" and
 * "resend._domainkey.mail". A name ending in the domain's leading labels is completed with the rest.
 */
export function recordFqdn(name: string, domain: string): string {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n === domain || n.endsWith(`.${domain}`)) return n;
  const labels = domain.split('.');
  for (let k = labels.length - 2; k >= 1; k--) {
    const lead = labels.slice(0, k).join('.');
    if (n === lead || n.endsWith(`.${lead}`)) return `${n}.${labels.slice(k).join('.')}`;
  }
  return n === '@' || n === '' ? domain : `${n}.${domain}`;
}

async function resolveRecord(resolver: Resolver, type: string, name: string): Promise<Probe<readonly string[] | null>> {
  try {
    switch (type) {
      case 'TXT':
        // A TXT record longer than 255 bytes (a DKIM key) arrives in chunks; the value is their concatenation.
        return { ok: true, value: (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')) };
      case 'MX':
        return { ok: true, value: (await resolver.resolveMx(name)).map((m) => `${m.priority} ${normalizeHost(m.exchange)}`) };
      case 'CNAME':
        return { ok: true, value: (await resolver.resolveCname(name)).map(normalizeHost) };
      default:
        return { ok: false, error: `prodcheck does not resolve ${type} records` };
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ABSENT.has(code)) return { ok: true, value: null };
    return { ok: false, error: describeError(e) };
  }
}

const SENDING = new Set(['SPF', 'DKIM']);

export const resendCollector: Collector<ResendSnapshot> = {
  target: 'resend',
  applies(spec, targets) {
    if (!spec.email) return 'The stack has no prodcheck:email section.';
    if (!targets.resend) return 'No resend entry in the targets file (apiKey).';
    return undefined;
  },
  async collect(ctx): Promise<ResendSnapshot> {
    const target = ctx.targets.resend;
    const email = ctx.spec.email;
    if (!target || !email) throw new Error('the resend family runs only when applies() found its spec and target');
    ctx.redactor.add(target.apiKey);
    const dnsTarget = ctx.targets.dns;
    const via = dnsTarget && dnsTarget.servers.length > 0 ? dnsTarget.servers.join(', ') : 'the system resolver';
    const appFrom = ctx.spec.env.vars[email.fromVar] !== undefined ? await probe(() => readAppFrom(email.fromVar, ctx)) : undefined;
    const stated = sendingDomainOf(email);
    const fromApp = appFrom?.ok && appFrom.value.kind === 'value' ? appFrom.value : undefined;
    const appDomain = fromApp ? domainOfAddress(fromApp.address) : undefined;
    const domain = stated !== undefined ? { name: stated, source: email.domain !== undefined ? 'prodcheck:email.domain' : 'prodcheck:email.from' } : appDomain !== undefined ? { name: appDomain, source: `${email.fromVar} on Vercel` } : undefined;
    const client = new ResendClient(target, ctx.signal);
    let listed;
    try {
      listed = await client.listDomains();
    } catch (e) {
      if (e instanceof ResendApiError && e.refusal) return { domain, appFrom, access: { kind: e.refusal, detail: e.message }, found: null, via };
      throw e;
    }
    const entry = domain ? listed.find((d) => d.name.toLowerCase() === domain.name) : undefined;
    if (!domain || !entry) return { domain, appFrom, access: { kind: 'full' }, found: null, via };
    const detail = await client.getDomain(entry.id, entry.name);
    if (detail === null) return { domain, appFrom, access: { kind: 'full' }, found: null, via };
    const resolver = new Resolver({ timeout: dnsTarget?.timeoutMs ?? target.timeoutMs, tries: 2 });
    try {
      if (dnsTarget && dnsTarget.servers.length > 0) resolver.setServers(dnsTarget.servers);
    } catch (e) {
      throw new Error(`targets dns.servers must be IP or IP:port entries (${describeError(e)})`);
    }
    const onAbort = () => resolver.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const wanted = (Array.isArray(detail.records) ? detail.records : []).filter((r: DomainRecords): r is DomainSpfRecord | DomainDkimRecord => SENDING.has(r.record));
      const records = await Promise.all(
        wanted.map(async (r): Promise<ExpectedRecord> => {
          const name = recordFqdn(String(r.name), domain.name);
          return {
            record: r.record,
            type: r.type,
            name,
            value: String(r.value),
            ...(typeof r.priority === 'number' ? { priority: r.priority } : {}),
            status: String(r.status),
            answer: await resolveRecord(resolver, r.type, name),
          };
        }),
      );
      return { domain, appFrom, access: { kind: 'full' }, found: { id: String(detail.id), name: String(detail.name), status: String(detail.status), records }, via };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};
