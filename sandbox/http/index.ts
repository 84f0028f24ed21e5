import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackSpec, Targets } from '../../spec/index.js';
import { appUrl } from '../../spec/index.js';
import { SIGN_IN_PATH } from '../app/handler.js';
import { startSampleApp, type SampleApp } from '../app/server.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { plantFault } from '../fault.js';
import { BREAKABLE, faultFor } from './breaks.js';

/** Where phase 3 reaches the app: its HTTPS listener (host:port) and the CA file its certificate chains to. */
export const HTTP_RESOLVE_OUTPUT = 'http.resolve';
export const HTTP_CA_OUTPUT = 'http.caFile';

/** The targets section that points verify at a running sample app: the real names, pinned to 127.0.0.1. */
export function sampleAppTargets(app: SampleApp, caFile: string, timeoutMs = 5_000): NonNullable<Targets['http']> {
  return {
    resolve: `127.0.0.1:${app.httpsPort}`,
    resolveHttp: `127.0.0.1:${app.httpPort}`,
    caFile,
    timeoutMs,
    signIn: { path: SIGN_IN_PATH, method: 'POST', contentType: 'application/json', credentials: JSON.stringify(app.user) },
    webhookSecret: app.webhookSecret,
    ...(Object.keys(app.identities).length ? { identities: Object.fromEntries(Object.entries(app.identities).map(([tier, token]) => [tier, { headers: { authorization: `Bearer ${token}` } }])) } : {}),
  };
}

/**
 * The sample app for the stack's domain (phase 2: it verifies Stripe webhooks with the secret the
 * Stripe family made, when there is one), served on loopback with the stack's real host names.
 */
export const httpSandbox: SandboxFamily = {
  name: 'http',
  phase: 2,
  applies: () => true,
  breakable: BREAKABLE,
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const faults = (await Promise.all([...breaks].map((id) => plantFault(id, () => faultFor(id, spec))))).flat();
    const webhookSecret = ctx.outputs['stripe.webhookSecret'] ?? `whsec_${randomBytes(24).toString('base64')}`;
    const leakedEnv = ctx.outputs['postgres.url'] ? { DATABASE_URL: ctx.outputs['postgres.url'] } : undefined;
    const app = await startSampleApp({ spec, faults, webhookSecret, leakedEnv });
    try {
      const caFile = join(ctx.tmpDir, 'http-ca.crt');
      await writeFile(caFile, app.caCert);
      const url = appUrl(spec.app);
      const host = new URL(url).hostname;
      ctx.log(`http      sample app for ${url} on 127.0.0.1:${app.httpsPort} (https) and :${app.httpPort} (http)${faults.length ? `, faults: ${faults.join(', ')}` : ''}`);
      return {
        targets: { http: sampleAppTargets(app, caFile) },
        outputs: { [HTTP_RESOLVE_OUTPUT]: `127.0.0.1:${app.httpsPort}`, [HTTP_CA_OUTPUT]: caFile },
        secrets: [webhookSecret, app.user.password, JSON.stringify(app.user), app.planted.stripeLiveKey, app.planted.serviceRoleJwt, ...Object.values(app.identities)],
        describe: [`http      ${url} at 127.0.0.1:${app.httpsPort}: curl --cacert ${caFile} --resolve ${host}:${app.httpsPort}:127.0.0.1 https://${host}:${app.httpsPort}/`],
        stop: () => app.stop(),
      };
    } catch (e) {
      await app.stop();
      throw e;
    }
  },
};
