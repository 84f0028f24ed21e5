import type { Client, ClientConfig } from 'pg';
import type { AdminConnection } from './types.js';

/** The TLS settings libpq's sslmode stands for; node-pg would read `require` as verify-full. */
function ssl(conn: AdminConnection): ClientConfig['ssl'] {
  switch (conn.sslmode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, servername: conn.host, ...(conn.ca ? { ca: conn.ca } : {}) };
  }
}

export function clientConfig(conn: AdminConnection, login?: { readonly user: string; readonly password: string }): ClientConfig {
  return {
    host: conn.host,
    port: conn.port,
    database: conn.database,
    user: login?.user ?? conn.adminUser,
    password: login?.password ?? conn.adminPassword,
    ssl: ssl(conn),
    connectionTimeoutMillis: 15_000,
    statement_timeout: 60_000,
    application_name: 'prodcheck-pulumi',
  };
}

/** Raised when the provider cannot log in; names the endpoint and user, never the password. */
export class PostgresAccessConnectError extends Error {
  override readonly name = 'PostgresAccessConnectError';
  constructor(
    readonly endpoint: string,
    readonly user: string,
    cause: unknown,
  ) {
    super(`cannot connect to ${endpoint} as "${user}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

// An array, not a Set: the closure serializer turns a captured Set into a plain object.
const TRANSIENT = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', '57P03'];
const ATTEMPTS = 4;

/**
 * Connects as the admin. A database created in the same `pulumi up` may still be starting (or its DNS
 * name not yet resolvable), so refused and timed-out connections are retried a few times with backoff.
 * `pg` is loaded here, inside the call: the provider is serialized into the Pulumi state, and a module
 * captured in its closure would be serialized with it.
 */
export async function connectAdmin(conn: AdminConnection): Promise<Client> {
  const { default: pg } = await import('pg');
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client(clientConfig(conn));
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (attempt >= ATTEMPTS || code === undefined || !TRANSIENT.includes(code)) throw new PostgresAccessConnectError(`${conn.host}:${conn.port}/${conn.database}`, conn.adminUser, e);
      await new Promise((resolve) => setTimeout(resolve, 2_000 * 2 ** (attempt - 1)));
    }
  }
}

export async function withAdmin<T>(conn: AdminConnection, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectAdmin(conn);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether `user` logs in with `password`: false when the server refuses the password, errors otherwise. */
export async function passwordWorks(conn: AdminConnection, user: string, password: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client(clientConfig(conn, { user, password }));
  try {
    await client.connect();
    return true;
  } catch (e) {
    // 28P01 invalid_password, 28000 invalid_authorization_specification (e.g. NOLOGIN).
    const code = (e as { code?: string }).code;
    if (code === '28P01' || code === '28000') return false;
    throw new PostgresAccessConnectError(`${conn.host}:${conn.port}/${conn.database}`, user, e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (RFC 5802/7677, 4096 iterations as
 * Postgres uses). Sent instead of the password so that the password never appears in a statement the
 * server might log. Passwords are ASCII (RandomPassword without special characters), for which
 * SASLprep, which Postgres applies first, changes nothing.
 */
export async function scramVerifier(password: string, saltBytes?: Buffer, iterations = 4096): Promise<string> {
  // Loaded here for the same reason as pg: Node's built-in functions cannot be closure-serialized.
  const { createHash, createHmac, pbkdf2Sync, randomBytes } = await import('node:crypto');
  const salt = saltBytes ?? randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
