import { describe, expect, it } from 'vitest';
import { stackSpecSchema } from '../../../spec/index.js';
import type { ExpectedRecord, ResendSnapshot } from '../../../verify/resend/index.js';
import { emailSendingDomain } from '../../../verify/resend/index.js';

const spec = stackSpecSchema.parse({ app: { name: 'shop', domain: 'example.com' }, email: { domain: 'example.com' } });

const rec = (over: Partial<ExpectedRecord>): ExpectedRecord => ({ record: 'SPF', type: 'TXT', name: 'send.example.com', value: '"v=spf1 include:amazonses.com ~all"', status: 'verified', answer: { ok: true, value: ['v=spf1 include:amazonses.com ~all'] }, ...over });
const SPF_MX = rec({ type: 'MX', value: 'feedback-smtp.us-east-1.amazonses.com', priority: 10, answer: { ok: true, value: ['10 feedback-smtp.us-east-1.amazonses.com'] } });
const SPF_TXT = rec({});
const DKIM = rec({ record: 'DKIM', name: 'resend._domainkey.example.com', value: 'p=MIGfKEY', answer: { ok: true, value: ['p=MIGfKEY'] } });

const snapshot = (over: Partial<ResendSnapshot> = {}): ResendSnapshot => ({
  domain: { name: 'example.com', source: 'prodcheck:email.domain' },
  appFrom: undefined,
  access: { kind: 'full' },
  found: { id: 'd1', name: 'example.com', status: 'verified', records: [SPF_MX, SPF_TXT, DKIM] },
  via: '10.0.0.53',
  ...over,
});
const judge = (s: ResendSnapshot) => emailSendingDomain.evaluate(s, spec).map((f) => [f.status, f.message]);

describe('email.sending-domain over a snapshot', () => {
  it('passes the verified domain whose records DNS carries', () => {
    expect(judge(snapshot())).toEqual([['pass', 'The Resend domain example.com is verified and its 3 SPF/DKIM records resolve via 10.0.0.53 to the values Resend lists.']]);
  });

  it('judges a refused key before anything else, even when the domain is unknown', () => {
    expect(judge(snapshot({ domain: undefined, access: { kind: 'invalid', detail: 'the Resend API refused the key (HTTP 401 missing_api_key: Missing API key)' } }))).toEqual([
      ['fail', "RESEND_API_KEY is not valid: the Resend API refused the key (HTTP 401 missing_api_key: Missing API key). Set targets resend.apiKey to the app's key, or a full-access key of the same Resend team."],
    ]);
  });

  it('reports what DNS was seen to get wrong before what it could not answer', () => {
    const lost = { ...DKIM, answer: { ok: true as const, value: null } };
    const timeout = { ...SPF_MX, answer: { ok: false as const, error: 'queryMx ETIMEOUT send.example.com' } };
    expect(judge(snapshot({ found: { id: 'd1', name: 'example.com', status: 'verified', records: [timeout, SPF_TXT, lost] } }))).toEqual([
      ['fail', 'Resend still reports example.com verified, but DNS (via 10.0.0.53) disagrees: DKIM TXT resend._domainkey.example.com has no TXT record. Receivers check DNS, so mail fails SPF/DKIM.'],
    ]);
    expect(judge(snapshot({ found: { id: 'd1', name: 'example.com', status: 'verified', records: [timeout, SPF_TXT, DKIM] } }))).toEqual([
      ['error', 'Could not resolve SPF MX send.example.com via 10.0.0.53 (queryMx ETIMEOUT send.example.com).'],
    ]);
  });

  it('an MX at another priority, or a listing without DKIM, is never a pass', () => {
    const moved = { ...SPF_MX, answer: { ok: true as const, value: ['20 feedback-smtp.us-east-1.amazonses.com'] } };
    expect(judge(snapshot({ found: { id: 'd1', name: 'example.com', status: 'verified', records: [moved, SPF_TXT, DKIM] } }))).toEqual([
      ['fail', 'Resend still reports example.com verified, but DNS (via 10.0.0.53) disagrees: SPF MX send.example.com does not carry the value Resend lists. Receivers check DNS, so mail fails SPF/DKIM.'],
    ]);
    expect(judge(snapshot({ found: { id: 'd1', name: 'example.com', status: 'verified', records: [SPF_MX, SPF_TXT] } }))).toEqual([
      ['error', 'Resend lists no DKIM record for example.com: there is nothing to check in DNS for it.'],
    ]);
  });

  it('an SPF record that is not v=spf1, or lacks a mechanism, fails', () => {
    for (const value of ['include:amazonses.com ~all', 'v=spf1 include:_spf.google.com ~all']) {
      const txt = { ...SPF_TXT, answer: { ok: true as const, value: [value] } };
      expect(judge(snapshot({ found: { id: 'd1', name: 'example.com', status: 'verified', records: [SPF_MX, txt, DKIM] } }))[0]?.[0]).toBe('fail');
    }
  });
});
