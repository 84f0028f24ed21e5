import { z } from 'zod';
import { envKey, hostname } from './common.js';

/** `prodcheck:email`: transactional email through Resend, sent from a verified domain. */
export const emailSchema = z.strictObject({
  provider: z.literal('resend').default('resend'),
  /** The sending domain; default: the domain of `from`, else of the app's `fromVar` value on Vercel. */
  domain: hostname.transform((d) => d.toLowerCase()).optional(),
  /** The From address the app sends with (e.g. noreply@mail.example.com). */
  from: z.email({ message: 'must be an email address such as noreply@example.com' }).optional(),
  /** The env var holding the app's From address. */
  fromVar: envKey.default('RESEND_FROM_EMAIL'),
}).superRefine((email, ctx) => {
  if (email.domain !== undefined && email.from !== undefined && domainOfAddress(email.from) !== email.domain) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `is not an address on the sending domain ${email.domain}` });
  }
});

export type EmailSpec = z.output<typeof emailSchema>;

/** The domain part of an address, lower-cased; undefined for something that is not an address. */
export function domainOfAddress(address: string): string | undefined {
  // "Shop <noreply@example.com>" is how apps often write RESEND_FROM_EMAIL.
  const bare = /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address;
  const at = bare.trim().lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = bare.trim().slice(at + 1).toLowerCase();
  return hostname.safeParse(domain).success ? domain : undefined;
}

/** The sending domain the stack states: email.domain, else the domain of email.from. */
export function sendingDomainOf(email: EmailSpec): string | undefined {
  return email.domain ?? (email.from !== undefined ? domainOfAddress(email.from) : undefined);
}
