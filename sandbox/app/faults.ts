/** Every way the sample app can be switched to misbehave, each breaking one property a control checks. */
export const APP_FAULTS = {
  'page-error': 'the last spec page (other than / when there is one) answers 503',
  'root-not-html': '/ answers 200 with text/plain, as a placeholder deployment does',
  'api-500': 'the first apiSmoke route answers 500',
  'unhealthy-service': 'health endpoints answer 503 with the first listed service unhealthy',
  'slow-health': 'health endpoints send their headers and half the body, then stall',
  'no-https-redirect': 'http:// serves the site instead of redirecting to https://',
  'no-hsts': 'no Strict-Transport-Security header',
  'short-hsts': 'Strict-Transport-Security max-age=3600',
  'expired-cert': 'the server certificate expired yesterday',
  'wrong-host-cert': 'the server certificate names wrong-host.invalid only',
  'short-lived-cert': 'the server certificate expires in half of spec tlsMinDaysLeft',
  'no-www-redirect': 'the non-canonical host serves the site instead of redirecting',
  'missing-headers': 'no CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, CORP or Permissions-Policy',
  'cors-wildcard': 'CORS answers every origin with * and credentials',
  'no-rate-limit': 'rate-limited routes never answer 429',
  'rate-limit-no-headers': 'the 429 carries no Retry-After or RateLimit headers',
  'accept-unsigned-webhooks': 'the webhook route accepts events without checking the signature',
  'webhook-wrong-secret': 'the webhook route checks signatures with another secret',
  'webhook-no-tolerance': 'the webhook route checks signatures but accepts timestamps of any age (replays)',
  'unprotected-route': 'protected routes answer 200 without a session',
  'weak-cookie': 'the session cookie lacks HttpOnly and Secure, with SameSite=None',
  'bundle-secret': 'a JS chunk embeds a Stripe live key and a Supabase service-role JWT',
  'leaky-errors': 'malformed requests get a 500 with the stack trace and env values',
  'no-compression': 'nothing is compressed',
  'no-cache-assets': 'static chunks are served with Cache-Control: no-cache',
  hang: 'no request is ever answered',
  'redirect-off-host': 'http:// redirects to https:// on another host (a hard-coded server name copied from another site)',
  'cors-reflect-origin': 'CORS echoes whatever Origin asks, with credentials (add_header Access-Control-Allow-Origin $http_origin)',
  'session-any-value': 'protected routes let in any value of the session cookie, as a check for the cookie’s presence does',
  'html-cached-immutable': 'pages are sent with Cache-Control: public, max-age=31536000, immutable',
  'no-nosniff': 'no X-Content-Type-Options (the Observatory grade stays A+)',
  'bundle-secret-hidden': 'a chunk only import() loads embeds a Stripe live key; the app chunk’s source map a Supabase service-role JWT',
} as const;

export type AppFault = keyof typeof APP_FAULTS;

export const isAppFault = (s: string): s is AppFault => Object.hasOwn(APP_FAULTS, s);
