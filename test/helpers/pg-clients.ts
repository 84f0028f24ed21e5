/** Superuser connections and verifier runs shared by the pg tests against real servers. */
import pg from 'pg';
import type { PostgresInstance } from '../../sandbox/services/index.js';
import type { StackSpec, Targets } from '../../spec/index.js';
import { Redactor } from '../../report/redact.js';
import { pgCollector } from '../../verify/pg/collect.js';
import type { PgSnapshot } from '../../verify/pg/snapshot.js';

export interface SuperuserClients {
  /** A plaintext superuser connection to `database` (default: the server's own); ended by endAll(). */
  connect(database?: string): Promise<pg.Client>;
  /** CREATE DATABASE `name` and a superuser connection to it. */
  freshDatabase(name: string): Promise<pg.Client>;
  endAll(): Promise<void>;
}

export function superuserClients(postgres: () => PostgresInstance): SuperuserClients {
  const clients: pg.Client[] = [];
  const connect = async (database?: string): Promise<pg.Client> => {
    const p = postgres();
    const client = new pg.Client({ host: p.host, port: p.port, user: p.user, password: p.password, database: database ?? p.database, ssl: false });
    // A server stopped under a test ends it with 57P01: no crash.
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  return {
    connect,
    async freshDatabase(name) {
      const admin = clients[0] ?? (await connect());
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      return connect(name);
    },
    async endAll() {
      for (const c of clients.splice(0)) await c.end().catch(() => undefined);
    },
  };
}

/** One collect run of the pg family, as `verify` does it, passive. */
export function collectPg(spec: StackSpec, target: NonNullable<Targets['postgres']>, signal = new AbortController().signal): Promise<PgSnapshot> {
  return pgCollector.collect({ spec, targets: { postgres: target }, active: false, redactor: new Redactor(), signal });
}
