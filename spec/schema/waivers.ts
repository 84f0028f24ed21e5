import { z } from 'zod';
import { isoDate } from './common.js';

export const waiverSchema = z.strictObject({
  control: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: 'must be a control id such as http.cdn-caching' }),
  /** Limits the waiver to one resource: a Pulumi URN or name, a table, an endpoint... */
  resource: z.string().optional(),
  reason: z.string().min(10, { message: 'must say why (10 characters at least)' }),
  owner: z.string().min(1),
  expires: isoDate,
});

export const waiversSchema = z.array(waiverSchema).default([]);

export type Waiver = z.output<typeof waiverSchema>;
