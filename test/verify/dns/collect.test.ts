import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { dnsCollector, dnsFamily } from '../../../verify/dns/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import type { Report } from '../../../report/types.js';
import { startDnsServer, type LocalDnsServer } from '../../fixtures/dns-server.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'example.com' },
  dns: {
    records: [
      { name: 'chat.example.com', type: 'CNAME', values: ['cname.vercel-dns.com'] },
      { name: 'example.com', type: 'A', values: ['76.76.21.21'] },
      { name: 'example.com', type: 'TXT', values: ['v=spf1 include:_spf.example.net -all'] },
    ],
    mx: [{ exchange: 'mx1.example.com', priority: 10 }],
  },
});
let dns: LocalDnsServer;

function seed(): void {
  dns.set('CNAME', 'chat.example.com', ['cname.vercel-dns.com']);
  dns.set('A', 'example.com', ['76.76.21.21']);
  dns.set('TXT', 'example.com', ['v=spf1 include:_spf.example.net -all', 'google-site-verification=abc']);
  dns.set('MX', 'example.com', [{ exchange: 'mx1.example.com', priority: 10 }]);
}

async function verify(servers = [dns.address]): Promise<Report> {
  const targets = targetsSchema.parse({ dns: { servers, timeoutMs: 1_000 } });
  return runVerify({ stack: 'test', spec, targets, families: [dnsFamily as never], redactor: new Redactor(), select: () => true, active: false });
}
const messages = (r: Report) => r.results.map((x) => [x.status, x.message]);

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.stop();
});

describe('dns collector against a local DNS server', () => {
  it('passes the records the stack declares', async () => {
    seed();
    expect(messages(await verify())).toEqual([
      ['pass', 'CNAME chat.example.com resolves to cname.vercel-dns.com.'],
      ['pass', 'A example.com resolves to 76.76.21.21.'],
      ['pass', 'TXT example.com includes "v=spf1 include:_spf.example.net -all".'],
      ['pass', 'MX example.com is 10 mx1.example.com.'],
    ]);
  });

  it('fails planted faults: a wrong target, a missing name (NXDOMAIN), a missing type (NODATA)', async () => {
    seed();
    dns.set('CNAME', 'chat.example.com', ['chat.herokudns.com']);
    dns.set('MX', 'example.com', []);
    dns.set('A', 'example.com', ['203.0.113.50']);
    expect(messages(await verify())).toEqual([
      ['fail', 'CNAME chat.example.com must resolve to cname.vercel-dns.com (found chat.herokudns.com).'],
      ['fail', 'A example.com must resolve to 76.76.21.21 (found 203.0.113.50).'],
      ['pass', 'TXT example.com includes "v=spf1 include:_spf.example.net -all".'],
      ['fail', 'MX example.com must be 10 mx1.example.com (found no MX record).'],
    ]);
    dns.removeName('chat.example.com');
    expect(messages(await verify())[0]).toEqual(['fail', 'CNAME chat.example.com must resolve to cname.vercel-dns.com (found no CNAME record).']);
  });

  it('errors when no resolver answers, and rejects a malformed server entry', async () => {
    seed();
    expect(messages(await verify(['127.0.0.1:9']))[0]).toEqual(['error', 'Could not resolve CNAME chat.example.com via 127.0.0.1:9 (queryCname ECONNREFUSED chat.example.com).']);
    const targets = targetsSchema.parse({ dns: { servers: ['not-an-ip'] } });
    await expect(dnsCollector.collect({ spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal })).rejects.toThrow(
      /^targets dns.servers must be IP or IP:port entries \(/,
    );
  });
});
