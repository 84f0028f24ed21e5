import { Resend } from 'resend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { resendFamily } from '../../../verify/resend/index.js';
import { runVerify } from '../../../verify/runner.js';
import { startDnsServer, type LocalDnsServer } from '../../fixtures/dns-server.js';
import { dkimValueFor, resendZoneFor, startResendApi, type ResendApiServer } from '../../fixtures/resend-api/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const DOMAIN = 'mail.shop.example.com';

const specOf = (email: Record<string, unknown>, vars: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({ app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' }, env: { vars }, vercel: { project: 'shop' }, email });

const spec = specOf({ from: `noreply@${DOMAIN}` });

let resend: ResendApiServer;
let dns: LocalDnsServer;
let vercel: VercelApiServer;

function serveZone(): void {
  for (const r of resendZoneFor(DOMAIN)) dns.set(r.type, r.name, r.values);
}

beforeAll(async () => {
  [resend, dns, vercel] = await Promise.all([startResendApi(), startDnsServer(), startVercelApi({ project: { name: 'shop' } })]);
});
afterAll(async () => {
  await Promise.all([resend.stop(), dns.stop(), vercel.stop()]);
});
beforeEach(() => {
  resend.override(undefined);
  resend.state.domains = [];
  resend.addDomain('other.example.org');
  resend.addDomain(DOMAIN);
  serveZone();
  vercel.state.envs = [];
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({
    resend: { apiKey: resend.apiKey, baseUrl: resend.url, timeoutMs: 5_000 },
    dns: { servers: [dns.address], timeoutMs: 2_000 },
    vercel: { token: vercel.token, baseUrl: vercel.url, timeoutMs: 5_000 },
    ...over,
  });
const verify = (t = targets(), s = spec): Promise<Report> => runVerify({ stack: 'test', spec: s, targets: t, families: [resendFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report) => r.results.filter((x) => x.control === 'email.sending-domain').map((x) => [x.status, x.message]);

const PASS = `The Resend domain ${DOMAIN} is verified and its 3 SPF/DKIM records resolve via ${'ADDR'} to the values Resend lists.`;
const pass = () => PASS.replace('ADDR', dns.address);

describe('email.sending-domain', () => {
  it('passes a verified domain whose SPF and DKIM records resolve to what Resend lists', async () => {
    expect(messages(await verify())).toEqual([['pass', pass()]]);
  });

  it('reads the sending domain from RESEND_FROM_EMAIL on Vercel when the stack names none', async () => {
    const s = specOf({}, { RESEND_FROM_EMAIL: { from: 'config', secret: false } });
    vercel.addEnv('RESEND_FROM_EMAIL', `Shop <orders@${DOMAIN}>`, { type: 'encrypted' });
    expect(messages(await verify(targets(), s))).toEqual([['pass', pass()]]);
    vercel.updateEnv('RESEND_FROM_EMAIL', { type: 'sensitive' });
    expect(messages(await verify(targets(), s))).toEqual([
      ['skip', 'Cannot tell which sending domain to judge: RESEND_FROM_EMAIL cannot be read (Vercel keeps sensitive values write-only). Set prodcheck:email.domain or prodcheck:email.from.'],
    ]);
    vercel.state.envs = [];
    expect(messages(await verify(targets(), s))).toEqual([['fail', 'RESEND_FROM_EMAIL is not set for production on Vercel: the app has no From address to send email with.']]);
  });

  it("fails when the app's From address is on another domain than the verified one", async () => {
    const s = specOf({ domain: DOMAIN }, { RESEND_FROM_EMAIL: { from: 'config', secret: false } });
    vercel.addEnv('RESEND_FROM_EMAIL', 'noreply@shop.example.com', { type: 'plain' });
    expect(messages(await verify(targets(), s))).toEqual([
      ['fail', `RESEND_FROM_EMAIL on Vercel sends from shop.example.com, not from the sending domain ${DOMAIN} (prodcheck:email.domain): Resend refuses mail from an unverified domain.`],
    ]);
  });

  it('fails an invalid key, skips a sending-only key, and never prints either', async () => {
    const bad = 're_notARealKey_0123456789';
    let r = await verify(targets({ resend: { apiKey: bad, baseUrl: resend.url } }));
    expect(messages(r)).toEqual([
      [
        'fail',
        "RESEND_API_KEY is not valid: the Resend API refused the key reading the domain list (HTTP 403 invalid_api_key: API key is invalid). Set targets resend.apiKey to the app's key, or a full-access key of the same Resend team.",
      ],
    ]);
    expect(JSON.stringify(r)).not.toContain(bad);
    r = await verify(targets({ resend: { apiKey: resend.sendingKey, baseUrl: resend.url } }));
    expect(messages(r)).toEqual([
      [
        'skip',
        `The Resend key is valid but may only send email, so whether ${DOMAIN} is verified cannot be read (the Resend API key may only send email (HTTP 401 restricted_api_key): it cannot read the domain list). Give targets resend.apiKey a full-access key; the app keeps its sending-only key.`,
      ],
    ]);
    expect(JSON.stringify(r)).not.toContain(resend.sendingKey);
  });

  it('fails a domain Resend does not have, and one still pending verification', async () => {
    resend.state.domains = resend.state.domains.filter((d) => d.name !== DOMAIN);
    expect(messages(await verify())).toEqual([['fail', `Resend has no domain ${DOMAIN} (prodcheck:email.from): it refuses to send mail from it.`]]);
    const d = resend.addDomain(DOMAIN);
    d.status = 'pending';
    for (const rec of d.records) if (rec.record === 'DKIM') rec.status = 'pending';
    expect(messages(await verify())).toEqual([
      ['fail', `The Resend domain ${DOMAIN} is pending, not verified: Resend refuses to send from it (DKIM TXT resend._domainkey.${DOMAIN} is pending).`],
    ]);
  });

  it('fails a verified domain whose record Resend now reports failed', async () => {
    const d = resend.state.domains.find((x) => x.name === DOMAIN);
    const spf = d?.records.find((x) => x.type === 'MX');
    if (!spf) throw new Error('no SPF MX record');
    spf.status = 'failed';
    expect(messages(await verify())).toEqual([
      ['fail', `Resend reports SPF MX send.${DOMAIN} of ${DOMAIN} as failed, not verified: mail from it may be rejected or land in spam.`],
    ]);
  });

  it('fails when DNS no longer carries what Resend cached as verified (DKIM deleted, SPF changed)', async () => {
    dns.removeName(`resend._domainkey.${DOMAIN}`);
    dns.set('TXT', `send.${DOMAIN}`, ['v=spf1 include:_spf.google.com ~all']);
    expect(messages(await verify())).toEqual([
      [
        'fail',
        `Resend still reports ${DOMAIN} verified, but DNS (via ${dns.address}) disagrees: SPF TXT send.${DOMAIN} does not carry the value Resend lists; DKIM TXT resend._domainkey.${DOMAIN} has no TXT record. Receivers check DNS, so mail fails SPF/DKIM.`,
      ],
    ]);
  });

  it('accepts a DKIM record written with tags and an SPF record with more mechanisms', async () => {
    dns.set('TXT', `resend._domainkey.${DOMAIN}`, [`v=DKIM1; k=rsa; ${dkimValueFor(DOMAIN)}`]);
    dns.set('TXT', `send.${DOMAIN}`, ['google-site-verification=abc', 'v=spf1 include:amazonses.com include:_spf.google.com -all']);
    expect(messages(await verify())).toEqual([['pass', pass()]]);
    dns.set('TXT', `resend._domainkey.${DOMAIN}`, [`v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ${'A'.repeat(40)}`]);
    expect(messages(await verify())[0]?.[1]).toContain(`DKIM TXT resend._domainkey.${DOMAIN} does not carry the value Resend lists`);
  });

  it('reads every page of a long domain list', async () => {
    resend.state.domains = [];
    for (let i = 0; i < 230; i++) resend.addDomain(`d${i}.example.net`);
    resend.addDomain(DOMAIN);
    expect(messages(await verify())).toEqual([['pass', pass()]]);
    expect(resend.requests.filter((q) => q.startsWith('GET /domains?')).length).toBeGreaterThanOrEqual(3);
  });

  it('an unreachable DNS server is an error, not a pass', async () => {
    const r = await verify(targets({ dns: { servers: ['127.0.0.1:9'], timeoutMs: 300 } }));
    expect(messages(r)[0]?.[0]).toBe('error');
    expect(messages(r)[0]?.[1]).toMatch(new RegExp(`^Could not resolve SPF (MX|TXT) send\\.${DOMAIN.replace(/\./g, '\\.')} via 127\\.0\\.0\\.1:9 \\(`));
  });

  it('a hung API times out and a flooding one is cut off: errors naming the Resend API', async () => {
    resend.override(() => undefined);
    expect(messages(await verify(targets({ resend: { apiKey: resend.apiKey, baseUrl: resend.url, timeoutMs: 300 } })))).toEqual([
      ['error', 'resend could not be reached: could not reach the Resend API reading the domain list: the Resend API did not answer within 300 ms.'],
    ]);
    resend.override((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent < 20) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    expect(messages(await verify())).toEqual([
      ['error', 'resend could not be reached: could not reach the Resend API reading the domain list: the Resend API answered with a body larger than 16777216 bytes: prodcheck reads no further.'],
    ]);
  });
});

describe('the local Resend API', () => {
  it('answers the official resend SDK as Resend does', async () => {
    const sdk = new Resend(resend.apiKey, { baseUrl: resend.url });
    const list = await sdk.domains.list();
    expect(list.error).toBeNull();
    expect(list.data?.object).toBe('list');
    expect(list.data?.data.map((d) => d.name)).toEqual(['other.example.org', DOMAIN]);
    const id = list.data?.data[1]?.id ?? '';
    const one = await sdk.domains.get(id);
    expect(one.data).toMatchObject({ object: 'domain', name: DOMAIN, status: 'verified', region: 'us-east-1' });
    expect(one.data?.records.map((r) => [r.record, r.type, r.name, r.ttl, r.status])).toEqual([
      ['SPF', 'MX', 'send.mail.shop', 'Auto', 'verified'],
      ['SPF', 'TXT', 'send.mail.shop', 'Auto', 'verified'],
      ['DKIM', 'TXT', 'resend._domainkey.mail.shop', 'Auto', 'verified'],
    ]);
    const restricted = await new Resend(resend.sendingKey, { baseUrl: resend.url }).domains.list();
    expect(restricted.error).toMatchObject({ name: 'restricted_api_key', statusCode: 401 });
    const invalid = await new Resend('re_wrong', { baseUrl: resend.url }).domains.get(id);
    expect(invalid.error).toMatchObject({ name: 'invalid_api_key', statusCode: 403 });
  });
});
