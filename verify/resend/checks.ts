import { domainOfAddress } from '../../spec/index.js';
import { normalizeHost } from '../dns/collect.js';
import type { Check, Finding } from '../types.js';
import type { ExpectedRecord, ResendSnapshot } from './collect.js';

const unquote = (v: string) => v.trim().replace(/^"(.*)"$/s, '$1');
const dkimKey = (v: string) => /(?:^|;)\s*p=([^;]*)/.exec(unquote(v))?.[1]?.replace(/\s+/g, '');
const spfTerms = (v: string) => unquote(v).split(/\s+/).filter((t) => t !== '' && !/^[~?+-]?all$/i.test(t));

/** Whether what DNS answers carries what Resend asks for (other TXT records on the name are fine). */
export function answerCarries(r: ExpectedRecord, answer: readonly string[]): boolean {
  switch (r.type) {
    case 'MX':
      return answer.some((a) => {
        const [priority, exchange] = a.split(' ');
        return exchange === normalizeHost(r.value) && (r.priority === undefined || Number(priority) === r.priority);
      });
    case 'CNAME':
      return answer.includes(normalizeHost(r.value));
    case 'TXT': {
      if (r.record === 'DKIM') {
        const want = dkimKey(r.value);
        return want !== undefined ? answer.some((a) => dkimKey(a) === want) : answer.some((a) => unquote(a) === unquote(r.value));
      }
      // SPF: one v=spf1 record holding every mechanism Resend lists (the all-qualifier is the owner's choice).
      const want = spfTerms(r.value);
      return answer.some((a) => {
        const have = spfTerms(a);
        return have[0]?.toLowerCase() === 'v=spf1' && want.every((t) => have.includes(t));
      });
    }
    default:
      return false;
  }
}

const show = (r: ExpectedRecord) => `${r.record} ${r.type} ${r.name}`;

export const emailSendingDomain: Check<ResendSnapshot> = {
  id: 'email.sending-domain',
  target: 'resend',
  connectivity: true,
  evaluate(s): Finding[] {
    const app = s.appFrom;
    const resource = s.domain?.name;
    const at = resource !== undefined ? { resource } : {};
    // A refused key is wrong whatever the domain: judged first.
    if (s.access.kind === 'invalid') return [{ status: 'fail', ...at, message: `RESEND_API_KEY is not valid: ${s.access.detail}. Set targets resend.apiKey to the app's key, or a full-access key of the same Resend team.`, expected: 'a valid key', actual: 'refused' }];
    if (app && !app.ok) return [{ status: 'error', ...at, message: `Could not read the app's From address from Vercel: ${app.error}.` }];
    const appValue = app?.ok && app.value.kind === 'value' ? app.value : undefined;
    if (app?.ok && app.value.kind === 'absent') return [{ status: 'fail', resource: app.value.key, message: `${app.value.key} is not set for production on Vercel: the app has no From address to send email with.`, expected: 'set', actual: 'absent' }];
    if (appValue && domainOfAddress(appValue.address) === undefined) return [{ status: 'fail', resource: appValue.key, message: `${appValue.key} on Vercel is not an email address: the app cannot send with it.`, expected: 'an address', actual: 'malformed' }];
    if (!s.domain) {
      const why = app?.ok && app.value.kind === 'unreadable' ? `${app.value.key} cannot be read (${app.value.reason})` : app?.ok && app.value.kind === 'no-vercel' ? `there is no vercel target to read ${app.value.key} from` : 'the stack names none';
      return [{ status: 'skip', message: `Cannot tell which sending domain to judge: ${why}. Set prodcheck:email.domain or prodcheck:email.from.` }];
    }
    const domain = s.domain.name;
    if (s.access.kind === 'restricted') {
      return [{ status: 'skip', resource: domain, message: `The Resend key is valid but may only send email, so whether ${domain} is verified cannot be read (${s.access.detail}). Give targets resend.apiKey a full-access key; the app keeps its sending-only key.` }];
    }
    const appDomain = appValue ? domainOfAddress(appValue.address) : undefined;
    if (appValue && appDomain !== domain) {
      return [{ status: 'fail', resource: appValue.key, message: `${appValue.key} on Vercel sends from ${appDomain}, not from the sending domain ${domain} (${s.domain.source}): Resend refuses mail from an unverified domain.`, expected: domain, actual: appDomain }];
    }
    const found = s.found;
    if (!found) return [{ status: 'fail', resource: domain, message: `Resend has no domain ${domain} (${s.domain.source}): it refuses to send mail from it.`, expected: 'verified', actual: 'absent' }];
    if (found.status !== 'verified') {
      const open = found.records.filter((r) => r.status !== 'verified').map((r) => `${show(r)} is ${r.status}`);
      return [{ status: 'fail', resource: domain, message: `The Resend domain ${domain} is ${found.status}, not verified: Resend refuses to send from it${open.length > 0 ? ` (${open.join('; ')})` : ''}.`, expected: 'verified', actual: found.status }];
    }
    const missing = ['SPF', 'DKIM'].filter((kind) => !found.records.some((r) => r.record === kind));
    if (missing.length > 0) return [{ status: 'error', resource: domain, message: `Resend lists no ${missing.join(' or ')} record for ${domain}: there is nothing to check in DNS for it.` }];
    const unverified = found.records.find((r) => r.status !== 'verified');
    if (unverified) return [{ status: 'fail', resource: domain, message: `Resend reports ${show(unverified)} of ${domain} as ${unverified.status}, not verified: mail from it may be rejected or land in spam.`, expected: 'verified', actual: unverified.status }];
    const problems = found.records.flatMap((r) => {
      if (!r.answer.ok) return [];
      if (r.answer.value === null) return [`${show(r)} has no ${r.type} record`];
      return answerCarries(r, r.answer.value) ? [] : [`${show(r)} does not carry the value Resend lists`];
    });
    // What was seen to be wrong is reported even when another record could not be resolved.
    if (problems.length > 0) {
      return [{ status: 'fail', resource: domain, message: `Resend still reports ${domain} verified, but DNS (via ${s.via}) disagrees: ${problems.join('; ')}. Receivers check DNS, so mail fails SPF/DKIM.`, expected: 'the records Resend lists', actual: `${problems.length} missing or changed` }];
    }
    const unresolved = found.records.find((r) => !r.answer.ok);
    if (unresolved && !unresolved.answer.ok) return [{ status: 'error', resource: domain, message: `Could not resolve ${show(unresolved)} via ${s.via} (${unresolved.answer.error}).` }];
    const n = found.records.length;
    return [{ status: 'pass', resource: domain, message: `The Resend domain ${domain} is verified and its ${n} SPF/DKIM record${n === 1 ? '' : 's'} resolve via ${s.via} to the values Resend lists.` }];
  },
};

export const RESEND_CHECKS: readonly Check<ResendSnapshot>[] = [emailSendingDomain];
