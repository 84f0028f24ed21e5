import { z } from 'zod';
import type { AppSpec } from './app.js';
import { appUrl } from './app.js';
import { hostname, urlPath } from './common.js';

/** The run intervals (minutes) Checkly accepts for API checks. */
export const CHECKLY_FREQUENCIES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440] as const;

/** Checkly's public dashboard slug: the <customUrl> of https://<customUrl>.checkly-dashboards.com. */
const slug = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'must be a subdomain label (lower-case letters, digits and -)' });

/** `prodcheck:uptime`: an external check on the production health route, and the public status page. */
export const uptimeSchema = z.strictObject({
  provider: z.literal('checkly').default('checkly'),
  /** The route the check calls on the app URL; default: the first of http.health, else /api/health. */
  healthPath: urlPath.optional(),
  /** Runs at least this often (minutes); a check that runs less often fails monitoring.uptime. */
  frequencyMinutes: z
    .number()
    .int()
    .refine((n) => (CHECKLY_FREQUENCIES as readonly number[]).includes(n), { message: `must be one of Checkly's intervals: ${CHECKLY_FREQUENCIES.join(', ')}` })
    .default(5),
  /** Checkly's public locations the check runs from (e.g. us-east-1, eu-west-1); two or more tell an outage from a network blip. */
  locations: z
    .array(z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, { message: 'must be a Checkly location such as us-east-1' }))
    .min(1)
    .default(['us-east-1', 'eu-west-1']),
  /** Who is told when the check fails (provisioned as an email alert channel subscribed to the check). */
  alertEmail: z.email({ message: 'must be an email address' }),
  /** The public status page: a Checkly public dashboard showing the checks that carry one of `tags`. */
  statusPage: z
    .strictObject({
      customUrl: slug,
      /** A domain of yours CNAMEd to the dashboard, e.g. status.example.com. */
      customDomain: hostname.optional(),
      header: z.string().min(1).max(100).optional(),
    })
    .optional(),
});

export type UptimeSpec = z.output<typeof uptimeSchema>;

/** The tag the check carries and the status page selects it by. */
export const UPTIME_TAG = 'prodcheck-uptime';

/** The health route checked: uptime.healthPath, else the first of http.health, else /api/health. */
export function healthPathOf(spec: { readonly uptime?: { readonly healthPath?: string | undefined } | undefined; readonly http: { readonly health: readonly { readonly path: string }[] } }): string {
  return spec.uptime?.healthPath ?? spec.http.health[0]?.path ?? '/api/health';
}

/** The production health URL the uptime check requests: the app's URL with healthPathOf's path. */
export function healthUrlOf(spec: Parameters<typeof healthPathOf>[0] & { readonly app: AppSpec }): string {
  return `${appUrl(spec.app).replace(/\/+$/, '')}${healthPathOf(spec)}`;
}

/** The status page's public address: the custom domain, else Checkly's dashboard host. */
export function statusPageUrlOf(page: { readonly customUrl: string; readonly customDomain?: string | undefined }): string {
  return page.customDomain ? `https://${page.customDomain}/` : `https://${page.customUrl}.checkly-dashboards.com/`;
}
