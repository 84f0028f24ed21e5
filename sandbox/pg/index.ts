import pg from 'pg';
import type { StackSpec } from '../../spec/index.js';
import { startPostgres } from '../services/postgres.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import type { PgTargetDraft } from './faults.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import { PG_FAULTS } from './faults.js';
import { PgbouncerNotFoundError, startPgbouncer } from './pgbouncer.js';
import { applyPgState, enableServerTls, requireTlsLogins, runAppTraffic } from './state.js';

const NO_PGBOUNCER = 'pgbouncer is not installed';

/** The sandbox Postgres's superuser URL, handed to later phases. */
export const PG_ADMIN_OUTPUT = 'postgres.adminUrl';

/**
 * Real Postgres (TLS on, pg_stat_statements preloaded) with the stack's tables, indexes, roles, grants
 * and RLS, and a real pgbouncer in front of it that the app's traffic goes through. Without a pgbouncer
 * binary the app talks to Postgres directly and pg.connection-pooling is skipped, saying how to install it.
 */
export const pgSandbox: SandboxFamily = {
  name: 'postgres',
  phase: 1,
  applies: (spec) => spec.postgres !== undefined,
  breakable: Object.keys(PG_FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const database = spec.postgres?.database ?? 'app';
    const server = await startPostgres({ database, tmpRoot: ctx.tmpDir, settings: { shared_preload_libraries: 'pg_stat_statements' } });
    const stops: (() => Promise<void>)[] = [() => server.stop()];
    const stop = async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    };
    try {
      const admin = new pg.Client({ connectionString: server.url, ssl: false });
      // A server stopped under it (Ctrl-C reaches the whole process group) ends it with 57P01: no crash.
      admin.on('error', () => undefined);
      await admin.connect();
      stops.push(() => admin.end());
      await enableServerTls(admin, ctx.tls);
      if (spec.postgres?.tls) await requireTlsLogins(admin);
      const state = await applyPgState(admin, spec);
      const bouncer = await startPgbouncer({
        backend: { host: server.host, port: server.port },
        users: { [state.app.user]: state.app.password, [state.verifier.user]: state.verifier.password },
        statsUsers: [state.verifier.user],
        tmpRoot: ctx.tmpDir,
      }).catch((e: unknown) => {
        if (e instanceof PgbouncerNotFoundError) return undefined;
        throw e;
      });
      if (bouncer) stops.push(() => bouncer.stop());
      const target: PgTargetDraft = {
        url: state.verifierUrl,
        caFile: ctx.tls.caFile,
        ...(bouncer ? { poolerUrl: bouncer.url(state.app.user, database), poolerAdminUrl: bouncer.adminUrl(state.verifier.user) } : {}),
        timeoutMs: 5_000,
      };
      const skipped: Record<string, string> = {};
      if (!bouncer) {
        skipped['pg.connection-pooling'] = `${NO_PGBOUNCER}; the sandbox ran without a pooler.`;
        ctx.log(`sandbox: ${NO_PGBOUNCER}: pg.connection-pooling is skipped (install it with \`apt-get install pgbouncer\` to check pooling too)`);
        if (breaks.has('pg.connection-pooling')) await plantFault('pg.connection-pooling', () => {
          throw new FaultNotPlantableError('pg.connection-pooling', `${NO_PGBOUNCER} (install it with \`apt-get install pgbouncer\`)`);
        });
      }
      // Without the pooler the app talks to Postgres itself, which accepts only TLS logins when the spec requires TLS.
      const direct = bouncer === undefined && spec.postgres?.tls === true;
      await runAppTraffic({ connectionString: bouncer ? (target.poolerUrl as string) : state.app.url, ssl: direct ? { ca: ctx.tls.caCert, servername: 'localhost' } : false }, spec);
      for (const id of breaks) await plantFault(id, () => PG_FAULTS[id]?.(admin, spec, target));
      return {
        targets: { postgres: target },
        secrets: [server.password, state.app.password, state.verifier.password],
        // postgres.adminUrl: the superuser, for phase-2 families that seed rows of their own (the LiteLLM servers table).
        outputs: { 'postgres.url': state.app.url, 'postgres.host': `${server.host}:${server.port}`, [PG_ADMIN_OUTPUT]: server.url, 'postgres.verifierUrl': state.verifierUrl },
        skipped,
        describe: [`postgres  ${server.host}:${server.port} (database ${database}; ${bouncer ? `pgbouncer on 127.0.0.1:${bouncer.port}` : 'no pgbouncer'})`],
        stop,
      };
    } catch (e) {
      await stop();
      throw e;
    }
  },
};
