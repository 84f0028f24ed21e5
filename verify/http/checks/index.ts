import type { Check } from '../../types.js';
import type { HttpSnapshot } from '../snapshot.js';
import { httpSiteReachable, httpApiSmoke, httpHealth } from './site.js';
import { httpHttpsRedirect, httpTlsCertificate, httpWwwRedirect } from './transport.js';
import { httpCors, httpCompression, httpCdnCaching } from './headers.js';
import { httpSecurityHeaders } from './security-headers.js';
import { httpRateLimit, httpWebhookEndpoint, httpAuthProtectedRoutes, httpSessionCookieFlags } from './access.js';
import { httpClientBundleSecrets, httpErrorLeakage } from './leaks.js';
import { envStripeWebhookSecret } from './webhook-secret.js';
import { httpApiModels, httpRateLimitPerIdentity } from './catalogue.js';

export { httpSiteReachable, httpApiSmoke, httpHealth } from './site.js';
export { httpHttpsRedirect, httpTlsCertificate, httpWwwRedirect } from './transport.js';
export { httpCors, httpCompression, httpCdnCaching } from './headers.js';
export { httpSecurityHeaders } from './security-headers.js';
export { httpRateLimit, httpWebhookEndpoint, httpAuthProtectedRoutes, httpSessionCookieFlags } from './access.js';
export { httpClientBundleSecrets, httpErrorLeakage } from './leaks.js';
export { envStripeWebhookSecret } from './webhook-secret.js';
export { httpApiModels, httpRateLimitPerIdentity } from './catalogue.js';

export const HTTP_CHECKS: readonly Check<HttpSnapshot>[] = [
  httpSiteReachable,
  httpApiSmoke,
  httpHealth,
  httpHttpsRedirect,
  httpTlsCertificate,
  httpWwwRedirect,
  httpSecurityHeaders,
  httpCors,
  httpRateLimit,
  httpRateLimitPerIdentity,
  httpWebhookEndpoint,
  envStripeWebhookSecret,
  httpAuthProtectedRoutes,
  httpSessionCookieFlags,
  httpClientBundleSecrets,
  httpErrorLeakage,
  httpCompression,
  httpCdnCaching,
  httpApiModels,
];
