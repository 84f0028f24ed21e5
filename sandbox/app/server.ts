import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { StackSpec } from '../../spec/index.js';
import { createCertificateAuthority, type TlsMaterial, type TlsOptions } from '../services/tls.js';
import { buildChunks, plantedSecrets, type PlantedSecrets } from './content.js';
import type { AppFault } from './faults.js';
import { handleHttp, handleHttps, type AppState } from './handler.js';
import { FixedWindowLimiter } from './rate-limit.js';

export interface SampleAppOptions {
  readonly spec: StackSpec;
  readonly faults?: Iterable<AppFault>;
  /** STRIPE_WEBHOOK_SECRET the webhook route verifies with; generated when absent. */
  readonly webhookSecret?: string;
  /** Values the leaky-errors fault dumps; a made-up DATABASE_URL with a password when absent. */
  readonly leakedEnv?: Readonly<Record<string, string>>;
}

/** The sample app: an HTTPS listener for the app's names, and a plain-HTTP one for the redirect. */
export interface SampleApp {
  readonly httpsPort: number;
  readonly httpPort: number;
  /** PEM of the CA every certificate the app serves chains to. */
  readonly caCert: string;
  readonly webhookSecret: string;
  readonly user: { readonly email: string; readonly password: string };
  /** What the bundle-secret fault plants. */
  readonly planted: PlantedSecrets;
  /** The Bearer token of each tier's test identity (spec http.tieredRateLimits). */
  readonly identities: Readonly<Record<string, string>>;
  /** Requests received per path (any method, either listener), counted before anything else happens. */
  requests(path: string): number;
  /** Switches faults (swapping the certificate when a certificate fault changes); counters and rate-limit windows restart. */
  setFaults(faults: Iterable<AppFault>): Promise<void>;
  stop(): Promise<void>;
}

const CERT_FAULTS = ['expired-cert', 'wrong-host-cert', 'short-lived-cert'] as const;

export async function startSampleApp(opts: SampleAppOptions): Promise<SampleApp> {
  const { spec } = opts;
  const ca = await createCertificateAuthority({ validDays: spec.http.tlsMinDaysLeft + 400 });
  const certs = new Map<string, Promise<TlsMaterial>>();
  const certFor = (faults: ReadonlySet<AppFault>) => {
    const kind = CERT_FAULTS.find((f) => faults.has(f)) ?? 'good';
    let cert = certs.get(kind);
    if (!cert) {
      cert = ca.issue(certOptions(spec, kind));
      certs.set(kind, cert);
    }
    return cert;
  };
  const planted = plantedSecrets();
  const webhookSecret = opts.webhookSecret ?? `whsec_${randomBytes(24).toString('base64')}`;
  const user = { email: 'verify@sandbox.invalid', password: randomBytes(18).toString('base64url') };
  const tiers = [...new Set(spec.http.tieredRateLimits.flatMap((t) => Object.keys(t.tiers)))];
  const identities = Object.fromEntries(tiers.map((tier) => [tier, `sk_${tier}_${randomBytes(18).toString('base64url')}`]));
  const base = {
    spec,
    webhookSecret,
    otherWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    user,
    sessions: new Set<string>(),
    limiter: new FixedWindowLimiter(),
    tierOfToken: new Map(Object.entries(identities).map(([tier, token]) => [token, tier])),
    leakedEnv: opts.leakedEnv ?? { DATABASE_URL: `postgres://app:${randomBytes(12).toString('hex')}@db.internal:5432/app`, NODE_ENV: 'production' },
  };
  const stateFor = (faults: ReadonlySet<AppFault>): AppState => ({
    ...base,
    faults,
    chunks: buildChunks(spec.app.name, faults.has('bundle-secret') ? planted : undefined, faults.has('bundle-secret-hidden') ? planted : undefined, faults.has('slow-page')),
  });

  let faults = new Set(opts.faults ?? []);
  let state = stateFor(faults);
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const serve = (handle: (req: IncomingMessage, res: ServerResponse, s: AppState) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (state.faults.has('hang')) return;
    handle(req, res, state).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const good = await certFor(faults);
  const https = createHttpsServer({ key: good.key, cert: good.cert }, serve(handleHttps));
  const http = createHttpServer(serve(handleHttp));
  for (const server of [https, http]) {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  const httpsPort = await listen(https);
  let httpPort: number;
  try {
    httpPort = await listen(http);
  } catch (e) {
    await close(https, sockets);
    throw e;
  }
  const apply = async (next: ReadonlySet<AppFault>) => {
    const material = await certFor(next);
    https.setSecureContext({ key: material.key, cert: material.cert });
  };
  await apply(faults);
  return {
    httpsPort,
    httpPort,
    caCert: ca.caCert,
    webhookSecret,
    user,
    planted,
    identities,
    requests: (path) => counts.get(path) ?? 0,
    async setFaults(next) {
      faults = new Set(next);
      await apply(faults);
      counts.clear();
      base.limiter.reset();
      state = stateFor(faults);
    },
    stop: async () => {
      await Promise.all([close(https, sockets), close(http, sockets)]);
    },
  };
}

function certOptions(spec: StackSpec, kind: (typeof CERT_FAULTS)[number] | 'good'): TlsOptions {
  const names = spec.app.canonicalHost === 'none' ? [spec.app.domain] : [spec.app.domain, `www.${spec.app.domain}`];
  const min = spec.http.tlsMinDaysLeft;
  switch (kind) {
    case 'expired-cert':
      return { names, expired: true };
    case 'wrong-host-cert':
      return { wrongHost: true };
    case 'short-lived-cert':
      return { names, validDays: Math.max(1, Math.floor(min / 2)) };
    case 'good':
      return { names, validDays: min + 60 };
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a listener and drops its open connections, hung requests included. */
function close(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}
