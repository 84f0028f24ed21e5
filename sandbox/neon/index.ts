import type { StackSpec } from '../../spec/index.js';
import type { NeonApiServer } from '../../test/fixtures/neon-api/index.js';
import { startNeonApi } from '../../test/fixtures/neon-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { stopOnError } from '../stop-on-error.js';

/** A URL with another host (and the default port): the app's connection string as Neon would hand it out. */
function onHost(url: string, host: string): string {
  const u = new URL(url);
  u.hostname = host;
  u.port = '';
  u.searchParams.set('sslmode', 'require');
  return u.toString();
}

interface Planted {
  /** The app's DATABASE_URL goes to the compute itself, not its -pooler host. */
  direct: boolean;
  /** The restore test's branch connects to a database without the table. */
  emptyBranch: boolean;
}

const FAULTS: Readonly<Record<string, (api: NeonApiServer, planted: Planted, spec: StackSpec) => void>> = {
  // Someone set history retention to 0 to save storage: no point in time can be restored.
  'pg.backups.enabled': (api) => {
    api.state.project.historyRetentionSeconds = 0;
  },
  // The free plan's 1 day of history instead of the 30 days the stack asks for.
  'pg.backups.retention': (api) => {
    api.state.project.historyRetentionSeconds = 86_400;
  },
  // IP Allow emptied while debugging from a laptop, and never restored.
  'pg.network-access': (api) => {
    api.state.project.allowedIps = [];
  },
  // The production branch lost its protection: it can be deleted or reset from the console.
  'pg.instance': (api) => {
    for (const b of api.state.branches) if (b.isDefault) b.protected = false;
  },
  // DATABASE_URL copied from the console's "direct connection" tab.
  'pg.connection-pooling': (_api, planted, spec) => {
    if (spec.postgres?.pooling.enabled === false) throw new FaultNotPlantableError('pg.connection-pooling', 'postgres.pooling.enabled is false');
    planted.direct = true;
  },
  // The restored branch lacks the table: the restore would not bring production back.
  'pg.backups.restore-test': (_api, planted, spec) => {
    if (!spec.neon?.restoreTest) throw new FaultNotPlantableError('pg.backups.restore-test', 'prodcheck:neon.restoreTest names no table');
    planted.emptyBranch = true;
  },
};

/**
 * A local Neon API holding the stack's project, standing for the sandbox's local Postgres: the production
 * branch `main` (protected) with one read-write compute, history retention of postgres.backups.retentionDays,
 * IP Allow set to postgres.network.allowedCidrs. Its host names are Neon's shape (ep-….neon.tech): they stand
 * for the local server, which the app and the pg family reach on 127.0.0.1. The app's DATABASE_URL handed to
 * the neon target is the local app URL on the compute's -pooler host, as Neon's console hands it out. A branch
 * the --active restore test creates connects to the local database itself (read only: the test only counts).
 * Phase 2: it needs the Postgres family's URL.
 */
export const neonSandbox: SandboxFamily = {
  name: 'neon',
  phase: 2,
  applies: (spec) => spec.postgres?.provider === 'neon',
  breakable: Object.keys(FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const pg = spec.postgres;
    const appUrl = ctx.outputs['postgres.url'];
    if (!pg || !appUrl) throw new Error('the neon sandbox needs the local Postgres (prodcheck:postgres and its postgres.url output)');
    const api = await startNeonApi({ projectId: `${spec.app.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40)}-prod` });
    return stopOnError(api, async () => {
      api.state.project = {
        name: spec.app.name,
        historyRetentionSeconds: Math.min(pg.backups.retentionDays, 30) * 86_400,
        allowedIps: [...pg.network.allowedCidrs],
        protectedBranchesOnly: false,
        blockPublicConnections: false,
        defaultSuspendSeconds: 300,
      };
      const main = api.addBranch('main', { isDefault: true, protected: pg.deletionProtection });
      const compute = api.addEndpoint(main);
      compute.suspendSeconds = 300;
      api.addEndpoint(api.addBranch('preview'));
      const planted: Planted = { direct: false, emptyBranch: false };
      for (const control of breaks) {
        await plantFault(control, () => FAULTS[control]?.(api, planted, spec));
        ctx.log(`neon: planted the ${control} fault`);
      }
      // The branch's role: the read-only verifier (the test only counts), as a restore-test role would be.
      const branchUrl = new URL(ctx.outputs['postgres.verifierUrl'] ?? appUrl);
      if (planted.emptyBranch) branchUrl.pathname = '/postgres';
      // The local server takes TLS logins only; its certificate chains to the sandbox CA.
      branchUrl.searchParams.set('sslmode', 'verify-full');
      branchUrl.searchParams.set('sslrootcert', ctx.tls.caFile);
      api.connectionUriFor = () => branchUrl.toString();
      const databaseUrl = onHost(appUrl, planted.direct ? api.hostOf(compute) : api.pooledHostOf(compute));
      return {
        targets: { neon: { projectId: api.projectId, apiKey: api.apiKey, baseUrl: api.url, branch: 'main', databaseUrl, timeoutMs: 10_000 } },
        secrets: [api.apiKey],
        describe: [`neon      ${api.url} (local Neon API, project ${api.projectId}; its compute ${api.hostOf(compute)} stands for the local Postgres) — the API key is in the targets file`],
        stop: () => api.stop(),
      };
    });
  },
};
