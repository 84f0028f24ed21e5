import { readFileSync } from 'node:fs';
import pg from 'pg';
import { isTransientNetworkError, withRetry } from '../net.js';
import { serverDeadline } from '../deadline.js';
import type { Endpoint, SslMode, CertCheck } from './snapshot.js';

/** Raised when targets.postgres cannot be turned into a connection (bad sslmode, unreadable CA file). */
export class PgConfigError extends Error {
  override readonly name = 'PgConfigError';
}

/** Raised when the server cannot be reached or refuses the login; carries the endpoint, never the password. */
export class PgConnectError extends Error {
  override readonly name = 'PgConnectError';
  constructor(
    readonly endpoint: string,
    readonly user: string,
    readonly sslmode: SslMode,
    cause: unknown,
  ) {
    super(`cannot connect to ${endpoint} as "${user}" (sslmode=${sslmode}): ${firstLine(cause)}`, { cause });
  }
}

const SSLMODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface PgConnection {
  readonly config: pg.ClientConfig;
  readonly endpoint: Endpoint;
  readonly user: string;
  readonly sslmode: SslMode;
  readonly certCheck: CertCheck;
  /** prefer/allow: connect without TLS when the server says it has none (not when a certificate fails to verify). */
  readonly plainFallback: boolean;
}

/**
 * Connection settings for a postgres:// URL, with libpq's sslmode meanings rather than node-pg's.
 *
 * node-pg (pg-connection-string 2.x) reads `sslmode=require` as verify-full and cannot fall back from
 * TLS to plaintext, so the URL is parsed here and sslmode applied as libpq does:
 * - disable: no TLS.
 * - allow, prefer (and no sslmode: libpq's default): TLS, or plaintext when the server answers that it
 *   has no TLS. allow is treated as prefer (node-pg cannot start in plaintext and upgrade).
 * - require: TLS or fail.
 * - verify-ca: TLS with the certificate chain verified; the host name is not checked.
 * - verify-full: TLS with chain and host name verified.
 * For allow/prefer/require the chain is verified only when a CA is given (targets caFile, else
 * `sslrootcert`), as libpq does when a root certificate is present; the host name is not checked then.
 * A certificate that fails verification is an error in every mode: prodcheck never falls back to
 * plaintext after a failed handshake. `sslrootcert=system` uses Node's CA store and implies
 * verify-full (libpq 16). `sslcert`/`sslkey` give a client certificate.
 */
export function pgConnection(url: string, opts: { readonly caFile?: string; readonly timeoutMs: number }): PgConnection {
  const u = new URL(url);
  const params = u.searchParams;
  const rawMode = (params.get('sslmode') ?? 'prefer').toLowerCase();
  if (!SSLMODES.includes(rawMode as SslMode)) throw new PgConfigError(`sslmode=${rawMode} is not one of ${SSLMODES.join(', ')}`);
  const rootcert = opts.caFile ?? params.get('sslrootcert') ?? undefined;
  const systemRoots = rootcert === 'system';
  const sslmode: SslMode = systemRoots && rawMode !== 'disable' ? 'verify-full' : (rawMode as SslMode);
  const host = decodeURIComponent(params.get('host') ?? u.hostname.replace(/^\[(.*)\]$/, '$1')) || 'localhost';
  const port = Number(params.get('port') ?? (u.port || 5432));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new PgConfigError(`port ${params.get('port') ?? u.port} is not a TCP port`);
  const user = decodeURIComponent(params.get('user') ?? u.username);
  if (!user) throw new PgConfigError('the postgres URL names no user');
  const database = decodeURIComponent(params.get('dbname') ?? u.pathname.slice(1)) || user;
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new PgConfigError(`cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? firstLine(e)})`);
    }
  };
  const ca = rootcert !== undefined && !systemRoots ? read(rootcert, 'CA file') : undefined;
  const clientCert = params.get('sslcert');
  const clientKey = params.get('sslkey');
  let ssl: pg.ClientConfig['ssl'] = false;
  let certCheck: CertCheck = 'none';
  if (sslmode !== 'disable') {
    const verifyChain = sslmode === 'verify-ca' || sslmode === 'verify-full' || ca !== undefined;
    certCheck = sslmode === 'verify-full' ? 'full' : verifyChain ? 'chain' : 'none';
    ssl = {
      rejectUnauthorized: verifyChain,
      ...(ca !== undefined ? { ca } : {}),
      ...(clientCert ? { cert: read(clientCert, 'client certificate') } : {}),
      ...(clientKey ? { key: read(clientKey, 'client key') } : {}),
      ...(certCheck === 'full' ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  const password = u.password ? decodeURIComponent(u.password) : (params.get('password') ?? undefined);
  const options = params.get('options');
  return {
    config: {
      host,
      port,
      user,
      database,
      ...(password !== undefined ? { password } : {}),
      ...(options ? { options } : {}),
      ssl,
      application_name: 'prodcheck',
      // Enforced by connectPg on the server's time (deadline.ts), not by node-pg on the wall clock.
      connectionTimeoutMillis: opts.timeoutMs,
      // Client-side backstop; the server-side statement_timeout (set per transaction) fires first.
      query_timeout: opts.timeoutMs + 2_000,
    },
    endpoint: { host, port, database },
    user,
    sslmode,
    certCheck,
    plainFallback: sslmode === 'allow' || sslmode === 'prefer',
  };
}

/** Connects, falling back to plaintext only where sslmode allows it and only when the server has no TLS. */
export async function connectPg(conn: PgConnection, signal?: AbortSignal): Promise<{ client: pg.Client; tls: boolean }> {
  const attempt = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
    const { connectionTimeoutMillis, ...config } = conn.config;
    const client = new pg.Client({ ...config, ssl });
    const abort = (): void => void client.end().catch(() => undefined);
    signal?.addEventListener('abort', abort, { once: true });
    // A dropped connection also arrives as an 'error' event, which would crash the process unheard;
    // the pending query rejects all the same, and that is where it is handled.
    client.on('error', () => undefined);
    // What node-pg does when its own connect timeout fires: drop the socket, and connect() rejects with this error.
    const deadline = connectionTimeoutMillis ? serverDeadline(connectionTimeoutMillis, () => client.connection.stream.destroy(new Error('timeout expired'))) : undefined;
    try {
      await client.connect();
      return client;
    } catch (e) {
      signal?.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
      throw e;
    } finally {
      deadline?.cancel();
    }
  };
  const where = `${conn.endpoint.host}:${conn.endpoint.port}`;
  try {
    // A reset or timed-out connect gets two more tries; refused, TLS and auth failures do not (DESIGN.md "Bounded").
    const client = await withRetry({ retries: 2, backoffMs: 250, isTransient: isTransientNetworkError }, () => attempt(conn.config.ssl));
    return { client, tls: conn.config.ssl !== false };
  } catch (e) {
    if (!(conn.plainFallback && isNoTlsAnswer(e))) throw new PgConnectError(where, conn.user, conn.sslmode, e);
  }
  try {
    return { client: await attempt(false), tls: false };
  } catch (e) {
    throw new PgConnectError(where, conn.user, conn.sslmode, e);
  }
}

function isNoTlsAnswer(e: unknown): boolean {
  return e instanceof Error && e.message === 'The server does not support SSL connections';
}

export function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown })?.code;
  const line = message.split('\n')[0] ?? message;
  // Node's socket and TLS codes help (ECONNREFUSED, CERT_HAS_EXPIRED); SQLSTATEs (28P01) only add noise.
  return typeof code === 'string' && /^[A-Z][A-Z_]{4,}$/.test(code) && !line.includes(code) ? `${line} (${code})` : line;
}
