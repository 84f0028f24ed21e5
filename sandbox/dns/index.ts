import type { StackSpec } from '../../spec/index.js';
import { UsageError } from '../../spec/index.js';
import { startDnsServer, type DnsValue, type LocalDnsServer } from '../../test/fixtures/dns-server.js';
import { resendZoneFor } from '../../test/fixtures/resend-api/index.js';
import { sandboxSendingDomain } from '../resend/index.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';

/** A value of the record's type that no stack expects: documentation ranges and the .invalid TLD. */
const WRONG: Readonly<Record<string, string>> = { A: '192.0.2.1', AAAA: '2001:db8::1', CNAME: 'elsewhere.invalid', TXT: 'prodcheck-sandbox=wrong' };

function serveSpec(dns: LocalDnsServer, spec: StackSpec): void {
  // The SPF and DKIM records the Resend sandbox lists for the sending domain, as the zone publishes them.
  const sending = sandboxSendingDomain(spec);
  if (sending !== undefined) for (const r of resendZoneFor(sending)) dns.set(r.type, r.name, r.values);
  const d = spec.dns;
  if (!d) return;
  for (const r of d.records) dns.set(r.type, r.name, r.values);
  const mx = new Map<string, DnsValue[]>();
  for (const m of d.mx) {
    const name = m.name ?? spec.app.domain;
    mx.set(name, [...(mx.get(name) ?? []), { exchange: m.exchange, priority: m.priority }]);
  }
  for (const [name, values] of mx) dns.set('MX', name, values);
}

/** A DNS server on 127.0.0.1 answering the stack's records and MX hosts, and the email sending domain's, as the zone should. */
export const dnsSandbox: SandboxFamily = {
  name: 'dns',
  phase: 1,
  applies: (spec) => spec.dns !== undefined || spec.email !== undefined,
  breakable: ['dns.records', 'dns.mx-records'],
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const dns = await startDnsServer();
    try {
      serveSpec(dns, spec);
      if (breaks.has('dns.records')) {
        const first = spec.dns?.records[0];
        if (!first) throw new UsageError('--break dns.records: the stack lists no DNS records');
        dns.set(first.type, first.name, [WRONG[first.type] ?? 'wrong']);
        ctx.log(`dns: planted the dns.records fault (${first.type} ${first.name} answers ${WRONG[first.type]})`);
      }
      if (breaks.has('dns.mx-records')) {
        const first = spec.dns?.mx[0];
        if (!first) throw new UsageError('--break dns.mx-records: the stack lists no MX records');
        dns.set('MX', first.name ?? spec.app.domain, []);
        ctx.log('dns: planted the dns.mx-records fault (no MX answer)');
      }
      return {
        targets: { dns: { servers: [dns.address], timeoutMs: 2_000 } },
        secrets: [],
        describe: [`dns       ${dns.address} (UDP, authoritative for the stack's records)`],
        stop: () => dns.stop(),
      };
    } catch (e) {
      await dns.stop();
      throw e;
    }
  },
};
