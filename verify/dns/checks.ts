import type { Check, Finding } from '../types.js';
import type { DnsSnapshot, MxAnswer } from './collect.js';
import { mxName, normalizeHost, recordKey } from './collect.js';

const quoteAll = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

export const dnsRecords: Check<DnsSnapshot> = {
  id: 'dns.records',
  target: 'dns',
  evaluate(s, spec) {
    const records = spec.dns?.records ?? [];
    if (records.length === 0) return [{ status: 'skip', message: 'The stack lists no DNS records (prodcheck:dns.records).' }];
    return records.map((r): Finding => {
      const resource = `${r.type} ${r.name}`;
      const answer = s.records[recordKey(r.type, r.name)];
      if (!answer) return { status: 'error', resource, message: `Could not resolve ${resource}: the collector did not ask for it.` };
      if (!answer.ok) return { status: 'error', resource, message: `Could not resolve ${resource} via ${s.via} (${answer.error}).` };
      const txt = r.type === 'TXT';
      const norm = (v: string) => (r.type === 'CNAME' ? normalizeHost(v) : v);
      const want = r.values.map(norm);
      const show = txt ? quoteAll : (v: readonly string[]) => v.join(', ');
      const expected = show(want);
      if (answer.value === null) return { status: 'fail', resource, message: `${resource} must ${txt ? 'include' : 'resolve to'} ${expected} (found no ${r.type} record).`, expected, actual: 'none' };
      const found = answer.value.map(norm);
      const actual = show(found);
      // TXT names carry unrelated records too (site verifications, SPF): only the expected ones must be there.
      const ok = want.every((v) => found.includes(v)) && (txt || found.every((v) => want.includes(v)));
      if (ok) return { status: 'pass', resource, message: `${resource} ${txt ? 'includes' : 'resolves to'} ${expected}.`, expected, actual };
      return { status: 'fail', resource, message: `${resource} must ${txt ? 'include' : 'resolve to'} ${expected} (found ${actual}).`, expected, actual };
    });
  },
};

const showMx = (mx: readonly MxAnswer[]) =>
  [...mx]
    .sort((a, b) => a.priority - b.priority || (a.exchange < b.exchange ? -1 : 1))
    .map((m) => `${m.priority} ${m.exchange}`)
    .join(', ');

export const dnsMxRecords: Check<DnsSnapshot> = {
  id: 'dns.mx-records',
  target: 'dns',
  evaluate(s, spec) {
    const mx = spec.dns?.mx ?? [];
    if (mx.length === 0) return [{ status: 'skip', message: 'The stack lists no MX records (prodcheck:dns.mx).' }];
    const byName = new Map<string, MxAnswer[]>();
    for (const m of mx) {
      const name = mxName(spec, m.name);
      byName.set(name, [...(byName.get(name) ?? []), { exchange: normalizeHost(m.exchange), priority: m.priority }]);
    }
    return [...byName].map(([name, want]): Finding => {
      const resource = `MX ${name}`;
      const expected = showMx(want);
      const answer = s.mx[name];
      if (!answer) return { status: 'error', resource, message: `Could not resolve ${resource}: the collector did not ask for it.` };
      if (!answer.ok) return { status: 'error', resource, message: `Could not resolve ${resource} via ${s.via} (${answer.error}).` };
      if (answer.value === null) return { status: 'fail', resource, message: `${resource} must be ${expected} (found no MX record).`, expected, actual: 'none' };
      const actual = showMx(answer.value);
      return actual === expected
        ? { status: 'pass', resource, message: `${resource} is ${expected}.`, expected, actual }
        : { status: 'fail', resource, message: `${resource} must be ${expected} (found ${actual}).`, expected, actual };
    });
  },
};

export const DNS_CHECKS: readonly Check<DnsSnapshot>[] = [dnsRecords, dnsMxRecords];
