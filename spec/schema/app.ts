import { z } from 'zod';
import { hostname, httpsUrl } from './common.js';

export const appSchema = z.strictObject({
  name: z.string().min(1),
  /** The production domain (apex), e.g. example.com. */
  domain: hostname,
  /** The public base URL; defaults to https://<domain>. */
  url: httpsUrl.optional(),
  /** Which host is canonical: `apex` redirects www to the apex, `www` the other way, `none`: no www host (a subdomain app). */
  canonicalHost: z.enum(['apex', 'www', 'none']).default('apex'),
  /** Production stacks must use live keys, NODE_ENV=production and so on. */
  environment: z.enum(['production', 'staging', 'preview']).default('production'),
});

export type AppSpec = z.output<typeof appSchema>;

/** The public base URL: `url`, else https:// on the canonical host. */
export function appUrl(app: AppSpec): string {
  return app.url ?? `https://${app.canonicalHost === 'www' ? `www.${app.domain}` : app.domain}`;
}
