import type { StackSpec, Targets } from '../../spec/index.js';
import type { CollectContext, Collector } from '../types.js';
import { probeBundle } from './probe-bundle.js';
import { probeModels } from './probe-models.js';
import { probeTierLimits } from './probe-tiers.js';
import { probeCors, probeErrorLeakage, probeRateLimits, probeSessionAndRoutes, probeWebhook } from './probe-access.js';
import { probeApiSmoke, probeCertificates, probeHealth, probeHttpRedirect, probeObservatory, probePages, probeWwwRedirect } from './probe-site.js';
import { ACCEPT_HTML, HttpUnreachableError, responseInfo, Site } from './site.js';
import type { HttpSnapshot } from './snapshot.js';

export { HttpUnreachableError } from './site.js';

export const httpCollector: Collector<HttpSnapshot> = {
  target: 'http',
  applies(_spec: StackSpec, targets: Targets) {
    return targets.http ? undefined : 'The targets file has no http section.';
  },
  async collect(ctx: CollectContext): Promise<HttpSnapshot> {
    const t = ctx.targets.http;
    if (!t) throw new Error('http collector called without an http target (applies() says why)');
    const { spec } = ctx;
    ctx.redactor.add(t.signIn?.credentials, t.webhookSecret, ...Object.values(t.identities ?? {}).flatMap((i) => Object.values(i.headers)));
    const site = await Site.open(spec, t, ctx.redactor, ctx.signal);
    const checkedAt = new Date().toISOString();

    // GET / decides reachability: if it gets no answer, nothing else would, and every check but
    // http.site-reachable skips instead of each waiting out its own timeout.
    let root;
    try {
      root = await site.get('/', { accept: ACCEPT_HTML });
    } catch (e) {
      throw new HttpUnreachableError(site.origin.origin, ctx.redactor.redact(e instanceof Error ? e.message : String(e)));
    }

    // GET / does not refuse a bad certificate (http.tls-certificate reports it), but then nothing secret
    // may follow it there: no sign-in, no session cookie, no signed webhook event.
    const impostor = site.origin.protocol === 'https:' && root.tlsVerified === false;
    const [pages, apiSmoke, health, redirect, certificates, wwwRedirect, cors, webhook, errorProbes] = await Promise.all([
      probePages(site, spec, root),
      probeApiSmoke(site, spec),
      probeHealth(site, spec),
      probeHttpRedirect(site),
      probeCertificates(site),
      probeWwwRedirect(site, spec),
      probeCors(site, spec),
      probeWebhook(site, spec, t, ctx.active, impostor ? 'the certificate of the site did not verify, so no signed event goes to it' : undefined),
      probeErrorLeakage(site, spec),
    ]);
    const pageCookies = pages.html.map((a) => ({ path: new URL(a.url).pathname, setCookies: a.setCookies }));
    const [{ bundle, assets }, observatory, access, models] = await Promise.all([
      probeBundle(site, pages.html),
      probeObservatory(site, root, redirect.answer),
      probeSessionAndRoutes(site, spec, impostor ? { ...t, signIn: undefined } : t, pageCookies),
      probeModels(site, spec),
    ]);
    // Last, so a route left rate-limited by the burst cannot disturb the probes above.
    const rateLimits = ctx.active ? await probeRateLimits(site, spec) : undefined;
    const tierLimits = ctx.active ? await probeTierLimits(site, spec, t) : undefined;

    const originCert = certificates.find((c) => c.host === site.canonical)?.handshake;
    const reason = originCert?.ok ? (originCert.value.authorizationError ?? 'not trusted') : (originCert?.error ?? 'not trusted');
    return {
      checkedAt,
      ...(impostor ? { untrusted: { host: site.canonical, reason } } : {}),
      origin: site.origin.origin,
      hosts: { canonical: site.canonical, apex: site.apex, www: site.www },
      root: responseInfo(root),
      pages: pages.probes,
      apiSmoke,
      health,
      httpRedirect: redirect.probe,
      certificates,
      wwwRedirect,
      observatory,
      cors,
      rateLimits,
      tierLimits,
      models,
      webhook,
      protectedRoutes: access.protectedRoutes,
      session: access.session,
      bundle,
      assets,
      errorProbes,
    };
  },
};
