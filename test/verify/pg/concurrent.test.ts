/** Issue 14: several verify runs at once against one server behave like a single run. */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgTargetDraft } from '../../../sandbox/pg/faults.js';
import { applyPgState, enableServerTls, requireTlsLogins, runAppTraffic } from '../../../sandbox/pg/state.js';
import { createTlsFiles, type TlsFiles } from '../../../sandbox/services/tls.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { PG_CHECKS } from '../../../verify/pg/checks/index.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';
import { collectPg, superuserClients } from '../../helpers/pg-clients.js';

const RUNS = Number(process.env.RUNS ?? 8);

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  postgres: { tables: ['User', 'Chat'], rls: ['Chat'], appRole: 'app_many', verifierRole: 'verifier_many', pooling: { enabled: false } },
});

function results(target: PgTargetDraft): Promise<string[]> {
  return collectPg(spec, target)
    .then((s) => PG_CHECKS.flatMap((c) => c.evaluate(s, spec).map((f) => `${c.id} ${f.status}: ${f.message}`)))
    .catch((e: unknown) => [`thrown: ${(e as Error).message}`]);
}

describe.each(PG_SERVERS)('concurrent collect runs against one Postgres (%s)', (server) => {
  const postgres = usePostgres({ server, settings: { shared_preload_libraries: 'pg_stat_statements' } });
  const superuser = superuserClients(postgres);
  let tls: TlsFiles;
  let admin: pg.Client;
  let target: PgTargetDraft;

  beforeAll(async () => {
    tls = await createTlsFiles();
    admin = await superuser.connect();
    await enableServerTls(admin, tls);
    await requireTlsLogins(admin);
    const state = await applyPgState(admin, spec);
    await runAppTraffic({ connectionString: state.app.url, ssl: { rejectUnauthorized: false } }, spec);
    target = { url: state.verifierUrl, caFile: tls.caFile, timeoutMs: 5_000 };
  });

  afterAll(async () => {
    await superuser.endAll();
    await tls?.remove();
  });

  it(`gives ${RUNS} simultaneous runs the results of a single run`, async () => {
    const variable = (line: string) => line.replace(/found \d+ of \d+, [\d.]+%/, 'found N').replace(/slowest at [\d.]+ ms/, 'slowest at T ms');
    const single = (await results(target)).map(variable);
    expect(single.filter((l) => !l.includes(' pass: ') && !l.includes(' skip: '))).toEqual([]);
    const many = await Promise.all(Array.from({ length: RUNS }, () => results(target)));
    for (const run of many) expect(run.map(variable)).toEqual(single);
  });

  it(`gives ${RUNS} simultaneous runs in a busy process the results of a single run`, async () => {
    // A full verify runs every family in one process; with several processes on few cores, synchronous
    // work stalls the event loop for longer than the connect timeout. After a stall, timers run before
    // the sockets are read, so a timeout counted on the wall clock fired although the server had answered.
    const variable = (line: string) => line.replace(/found \d+ of \d+, [\d.]+%/, 'found N').replace(/slowest at [\d.]+ ms/, 'slowest at T ms');
    const quick = { ...target, timeoutMs: 500 };
    const single = (await results(quick)).map(variable);
    let stalls = 0;
    let busy = true;
    let next: NodeJS.Timeout | undefined;
    // Stalls of 600 ms with 400 ms of free time between them (timed from the end of each stall).
    const stall = (): void => {
      const until = Date.now() + 600;
      while (Date.now() < until) stalls += 0;
      stalls++;
      if (busy) setImmediate(() => (next = busy ? setTimeout(stall, 400) : undefined));
    };
    try {
      const runs = Array.from({ length: RUNS }, () => results(quick));
      // The first stall comes as the runs open their connections, longer than their whole timeout.
      stall();
      const many = await Promise.all(runs);
      for (const run of many) expect(run.map(variable)).toEqual(single);
    } finally {
      busy = false;
      clearTimeout(next);
    }
    expect(stalls).toBeGreaterThan(0);
  });
});
