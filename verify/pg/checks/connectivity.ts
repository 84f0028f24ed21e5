/** pg.connectivity. */
import type { Check, Finding } from '../../types.js';
import type { PgSnapshot } from '../snapshot.js';
import { hostPort, couldNotRead, pgSpecOf } from './common.js';

export const pgConnectivity: Check<PgSnapshot> = {
  id: 'pg.connectivity',
  target: 'postgres',
  connectivity: true,
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const where = hostPort(s.endpoint);
    const findings: Finding[] = [];
    if (!s.tls.ok) {
      findings.push(couldNotRead('pg_stat_ssl for the verifier session', s.tls, where));
    } else if (pgSpec.tls) {
      const verification =
        s.certCheck === 'full'
          ? 'certificate and host name verified'
          : s.certCheck === 'chain'
            ? 'certificate chain verified, host name not checked'
            : `certificate not verified: sslmode=${s.sslmode} and no CA given`;
      findings.push(
        s.tls.value.inUse
          ? {
              status: 'pass',
              message: `Postgres at ${where} must be reached over TLS (found ${s.tls.value.version ?? 'TLS'}, ${verification}).`,
              expected: 'TLS',
              actual: `${s.tls.value.version ?? 'TLS'}, ${verification}`,
              resource: where,
            }
          : {
              status: 'fail',
              message: `Postgres at ${where} must be reached over TLS (found an unencrypted connection, sslmode=${s.sslmode}).`,
              expected: 'TLS',
              actual: `unencrypted, sslmode=${s.sslmode}`,
              resource: where,
            },
      );
    } else {
      const over = s.tls.value.inUse ? (s.tls.value.version ?? 'TLS') : 'an unencrypted connection';
      findings.push({
        status: 'pass',
        message: `Postgres at ${where} must be reachable (found PostgreSQL ${s.serverVersion} over ${over}; the spec does not require TLS).`,
        expected: 'reachable',
        actual: `PostgreSQL ${s.serverVersion}`,
        resource: where,
      });
    }
    if (!s.connections.ok) {
      findings.push(couldNotRead('the connection count from pg_stat_activity', s.connections, 'max_connections'));
    } else {
      const { used, max } = s.connections.value;
      const pct = max > 0 ? (used / max) * 100 : 100;
      const shown = `${Number(pct.toFixed(1))}%`;
      findings.push({
        status: pct < pgSpec.maxConnectionUsePct ? 'pass' : 'fail',
        message: `Postgres connections in use must stay below ${pgSpec.maxConnectionUsePct}% of max_connections (found ${used} of ${max}, ${shown}).`,
        expected: `< ${pgSpec.maxConnectionUsePct}% of max_connections`,
        actual: `${used} of ${max} (${shown})`,
        resource: 'max_connections',
      });
    }
    return findings;
  },
};
