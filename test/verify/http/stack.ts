import { parseStackConfig, type StackSpec } from '../../../spec/index.js';

/** A stack exercising every http control: apex canonical host (so www redirects), health services, a rate limit, a webhook. */
export function httpStack(http: Record<string, unknown> = {}, app: Record<string, unknown> = {}): StackSpec {
  return parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com', canonicalHost: 'apex', ...app },
      'prodcheck:stripe': { webhook: { path: '/api/webhooks/stripe', events: ['checkout.session.completed', 'invoice.paid'] } },
      'prodcheck:http': {
        pages: ['/', '/pricing'],
        apiSmoke: [{ path: '/api/models', method: 'GET', status: 200 }],
        health: [{ path: '/api/health', services: ['database', 'redis'] }],
        securityHeadersMinGrade: 'B',
        cors: { allowedOrigins: ['https://shop.example.com'], probePath: '/api/models' },
        rateLimits: [{ path: '/api/chat', method: 'POST', limit: 5, windowSeconds: 60 }],
        protectedRoutes: ['/api/account', '/dashboard'],
        sessionCookie: '__Host-session',
        tlsMinDaysLeft: 14,
        hstsMinMaxAgeDays: 180,
        ...http,
      },
    },
    'inline',
  ).spec;
}
