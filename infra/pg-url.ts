/** A Postgres login as its parts. */
export interface PgLogin {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/** Raised for a `postgres:adminUrl` that is not a postgres:// URL with user, password, host and database. */
export class PgUrlError extends Error {
  override readonly name = 'PgUrlError';
}

export function parsePgUrl(url: string): PgLogin {
  if (!URL.canParse(url)) throw new PgUrlError('postgres:adminUrl is not a URL: expected postgres://<owner>:<password>@<host>:<port>/<database>');
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^postgres(ql)?:$/.test(u.protocol) || !u.hostname || !u.username || !u.password || !database) {
    throw new PgUrlError('postgres:adminUrl must be postgres://<owner>:<password>@<host>:<port>/<database> (all parts present)');
  }
  return { host: u.hostname, port: Number(u.port || 5432), database, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** postgresql://user:password@host:port/database, with sslmode=require when TLS is required. */
export function pgUrl(login: PgLogin, tls: boolean): string {
  const e = encodeURIComponent;
  return `postgresql://${e(login.user)}:${e(login.password)}@${login.host}:${login.port}/${e(login.database)}${tls ? '?sslmode=require' : ''}`;
}

/** Neon's pooled endpoint of a compute host: the first label gains `-pooler` (ep-x-1.region.aws.neon.tech → ep-x-1-pooler.region...). */
export function neonPoolerHost(host: string): string {
  const dot = host.indexOf('.');
  if (dot < 0 || host.slice(0, dot).endsWith('-pooler')) return host;
  return `${host.slice(0, dot)}-pooler${host.slice(dot)}`;
}

/**
 * An RDS maintenance window that starts an hour after the backup window ends (they must not overlap),
 * for one hour, on Sunday (Monday when that hour falls after midnight).
 */
export function maintenanceWindowAfter(backupWindow: string): string {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(backupWindow);
  if (!m) throw new Error(`backup window "${backupWindow}" is not hh:mm-hh:mm`);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const at = (minutes: number) => {
    const day = minutes >= 24 * 60 ? 'mon' : 'sun';
    const t = minutes % (24 * 60);
    return `${day}:${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
  };
  return `${at(end + 60)}-${at(end + 120)}`;
}
