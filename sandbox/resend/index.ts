import type { StackSpec } from '../../spec/index.js';
import { domainOfAddress, sendingDomainOf } from '../../spec/index.js';
import { startResendApi } from '../../test/fixtures/resend-api/index.js';
import { plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { stopOnError } from '../stop-on-error.js';

/**
 * The sending domain the sandbox verifies: the stack's (email.domain / email.from), else the domain of a
 * literal From var, else mail.<app domain>. The dns sandbox serves the records Resend lists for it.
 */
export function sandboxSendingDomain(spec: StackSpec): string | undefined {
  const email = spec.email;
  if (!email) return undefined;
  const literal = spec.env.vars[email.fromVar];
  const fromVar = literal?.from === 'value' && literal.value !== undefined ? domainOfAddress(literal.value) : undefined;
  return sendingDomainOf(email) ?? fromVar ?? `mail.${spec.app.domain}`;
}

/**
 * A local Resend account holding the stack's sending domain, verified, with the SPF and DKIM records
 * it lists answered by the sandbox DNS server. Phase 1, so a From var `from: config` gets an address on it.
 */
export const resendSandbox: SandboxFamily = {
  name: 'resend',
  phase: 1,
  applies: (spec) => spec.email !== undefined,
  breakable: ['email.sending-domain'],
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const domain = sandboxSendingDomain(spec);
    const email = spec.email;
    if (!email || !domain) throw new Error('the resend sandbox started for a stack without a prodcheck:email section (applies() says so)');
    const api = await startResendApi();
    return stopOnError(api, async () => {
      api.addDomain(`marketing.${spec.app.domain}`);
      const sending = api.addDomain(domain);
      if (breaks.has('email.sending-domain')) {
        // Someone re-created the domain in Resend and never finished verifying it: the DKIM key is new.
        await plantFault('email.sending-domain', () => {
          sending.status = 'pending';
          for (const r of sending.records) if (r.record === 'DKIM') r.status = 'pending';
        });
        ctx.log(`resend: planted the email.sending-domain fault (${domain} pending verification)`);
      }
      return {
        targets: { resend: { apiKey: api.apiKey, baseUrl: api.url, timeoutMs: 10_000 } },
        secrets: [api.apiKey, api.sendingKey],
        // `email.from` for a var wired `from: email.from` (what `pulumi up` provisions), env.<KEY> for `from: config`.
        outputs: { [`env.${email.fromVar}`]: email.from ?? `noreply@${domain}`, ...(email.from !== undefined ? { 'email.from': email.from } : {}) },
        describe: [`resend    ${api.url} (local Resend API, domain ${domain}) — the API key is in the targets file`],
        stop: () => api.stop(),
      };
    });
  },
};
