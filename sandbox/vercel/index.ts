import { randomBytes } from 'node:crypto';
import type { StackSpec } from '../../spec/index.js';
import { startVercelApi } from '../../test/fixtures/vercel-api/index.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { plantFault } from '../fault.js';
import { VERCEL_FAULTS } from './faults.js';
import { seedProject } from './state.js';

export { VERCEL_FAULTS } from './faults.js';
export { seedProject } from './state.js';

const TEAM_ID = 'team_sandbox';

/**
 * The local Vercel API holding the project `pulumi up` would leave: env vars filled from the phase-1
 * outputs (database and Redis URLs, Stripe keys and prices) and generated secrets, the domain, two
 * READY production deployments and the firewall. Phase 2, so those outputs exist.
 */
export const vercelSandbox: SandboxFamily = {
  name: 'vercel',
  phase: 2,
  applies: (spec) => spec.vercel !== undefined,
  breakable: Object.keys(VERCEL_FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const vercel = spec.vercel;
    if (!vercel) throw new Error('the vercel sandbox started for a stack without a prodcheck:vercel section (applies() says so)');
    const api = await startVercelApi({ teamId: TEAM_ID, token: `vcp_${randomBytes(24).toString('base64url')}`, project: { name: vercel.project } });
    try {
      const seeded = seedProject(api, spec, ctx.outputs);
      for (const control of breaks) {
        await plantFault(control, () => VERCEL_FAULTS[control]?.(api, spec));
        ctx.log(`vercel: planted the ${control} fault`);
      }
      const expect = { ...(seeded.databaseHost ? { databaseHost: seeded.databaseHost } : {}), ...(seeded.redisHost ? { redisHost: seeded.redisHost } : {}) };
      return {
        targets: { vercel: { token: api.token, teamId: TEAM_ID, baseUrl: api.url, timeoutMs: 10_000, logsReadMs: 5_000, expect } },
        secrets: [api.token, ...seeded.secrets],
        outputs: { vercelProjectId: api.state.project?.id ?? vercel.project },
        describe: [`vercel    ${api.url} (local Vercel API, project ${vercel.project}, team ${TEAM_ID}) — the token is in the targets file`],
        stop: () => api.stop(),
      };
    } catch (e) {
      await api.stop();
      throw e;
    }
  },
};
