import { z } from 'zod';
import { hostname } from './common.js';

/** DNS names may carry `_` labels (_dmarc, selector._domainkey) that host names may not. */
const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, { message: 'must be a DNS name such as _dmarc.example.com' });

export const dnsSchema = z.strictObject({
  records: z.array(z.strictObject({ name: dnsName, type: z.enum(['A', 'AAAA', 'CNAME', 'TXT']), values: z.array(z.string().min(1)).min(1) })).default([]),
  mx: z.array(z.strictObject({ name: dnsName.optional(), exchange: hostname, priority: z.number().int().min(0) })).default([]),
});

export type DnsSpec = z.output<typeof dnsSchema>;
