import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import * as checks from '../../../verify/dns/checks.js';
import { DNS_CHECKS, dnsMxRecords, dnsRecords } from '../../../verify/dns/checks.js';
import type { DnsSnapshot } from '../../../verify/dns/collect.js';
import type { Check } from '../../../verify/types.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'example.com' },
  dns: {
    records: [
      { name: 'example.com', type: 'A', values: ['76.76.21.21'] },
      { name: 'chat.example.com', type: 'CNAME', values: ['cname.vercel-dns.com'] },
      { name: '_dmarc.example.com', type: 'TXT', values: ['v=DMARC1; p=reject'] },
    ],
    mx: [
      { exchange: 'mx1.example.com', priority: 10 },
      { exchange: 'mx2.example.com', priority: 20 },
    ],
  },
});

const clean: DnsSnapshot = {
  via: '127.0.0.1:5353',
  records: {
    'A example.com': { ok: true, value: ['76.76.21.21'] },
    'CNAME chat.example.com': { ok: true, value: ['cname.vercel-dns.com'] },
    'TXT _dmarc.example.com': { ok: true, value: ['google-site-verification=abc', 'v=DMARC1; p=reject'] },
  },
  mx: { 'example.com': { ok: true, value: [{ exchange: 'mx2.example.com', priority: 20 }, { exchange: 'mx1.example.com', priority: 10 }] } },
};
const withRecord = (key: string, answer: DnsSnapshot['records'][string]): DnsSnapshot => ({ ...clean, records: { ...clean.records, [key]: answer } });

function run(check: Check<DnsSnapshot>, s: DnsSnapshot = clean, sp: StackSpec = spec): [string, string][] {
  return check.evaluate(s, sp).map((f) => [f.status, f.message]);
}

describe('dns checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, in DNS_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<DnsSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(DNS_CHECKS.map((c) => c.id)).toEqual(['dns.records', 'dns.mx-records']);
    for (const c of DNS_CHECKS) expect(getControl(c.id).stages).toContain('V');
  });
});

describe('dns.records', () => {
  it('passes exact A and CNAME answers and a TXT name that includes the expected text', () => {
    expect(run(dnsRecords)).toEqual([
      ['pass', 'A example.com resolves to 76.76.21.21.'],
      ['pass', 'CNAME chat.example.com resolves to cname.vercel-dns.com.'],
      ['pass', 'TXT _dmarc.example.com includes "v=DMARC1; p=reject".'],
    ]);
  });

  it('fails another target, an extra address, a missing record or text', () => {
    expect(run(dnsRecords, withRecord('CNAME chat.example.com', { ok: true, value: ['old-host.herokudns.com'] }))[1]).toEqual([
      'fail',
      'CNAME chat.example.com must resolve to cname.vercel-dns.com (found old-host.herokudns.com).',
    ]);
    expect(run(dnsRecords, withRecord('A example.com', { ok: true, value: ['76.76.21.21', '203.0.113.9'] }))[0]).toEqual([
      'fail',
      'A example.com must resolve to 76.76.21.21 (found 76.76.21.21, 203.0.113.9).',
    ]);
    expect(run(dnsRecords, withRecord('A example.com', { ok: true, value: null }))[0]).toEqual(['fail', 'A example.com must resolve to 76.76.21.21 (found no A record).']);
    expect(run(dnsRecords, withRecord('TXT _dmarc.example.com', { ok: true, value: ['v=DMARC1; p=none'] }))[2]).toEqual([
      'fail',
      'TXT _dmarc.example.com must include "v=DMARC1; p=reject" (found "v=DMARC1; p=none").',
    ]);
  });

  it('errors an unanswered question and skips a stack without records', () => {
    expect(run(dnsRecords, withRecord('A example.com', { ok: false, error: 'queryA ETIMEOUT example.com' }))[0]).toEqual([
      'error',
      'Could not resolve A example.com via 127.0.0.1:5353 (queryA ETIMEOUT example.com).',
    ]);
    expect(run(dnsRecords, clean, stackSpecSchema.parse({ app: { name: 'chat', domain: 'example.com' }, dns: {} }))).toEqual([
      ['skip', 'The stack lists no DNS records (prodcheck:dns.records).'],
    ]);
  });
});

describe('dns.mx-records', () => {
  it('passes the expected exchangers in any order, on the app domain by default', () => {
    expect(run(dnsMxRecords)).toEqual([['pass', 'MX example.com is 10 mx1.example.com, 20 mx2.example.com.']]);
  });

  it('fails other exchangers or none, and skips a stack without MX records', () => {
    const other: DnsSnapshot = { ...clean, mx: { 'example.com': { ok: true, value: [{ exchange: 'mx.oldmail.net', priority: 10 }] } } };
    expect(run(dnsMxRecords, other)).toEqual([['fail', 'MX example.com must be 10 mx1.example.com, 20 mx2.example.com (found 10 mx.oldmail.net).']]);
    expect(run(dnsMxRecords, { ...clean, mx: { 'example.com': { ok: true, value: null } } })).toEqual([
      ['fail', 'MX example.com must be 10 mx1.example.com, 20 mx2.example.com (found no MX record).'],
    ]);
    expect(run(dnsMxRecords, clean, stackSpecSchema.parse({ app: { name: 'chat', domain: 'example.com' }, dns: {} }))).toEqual([
      ['skip', 'The stack lists no MX records (prodcheck:dns.mx).'],
    ]);
  });
});
