/** pg.connectivity. */
import type { Check, Finding } from '../../types.js';
import type { PgSnapshot } from '../snapshot.js';
import { hostPort, couldNotRead, pgSpecOf } from './common.js';

function tlsFinding(s: PgSnapshot, where: string): Finding {
  if (!s.tls.ok) return couldNotRead('pg_stat_ssl for the verifier session', s.tls, where);
  const verification =
    s.certCheck === 'full'
      ? 'certificate and host name verified'
      : s.certCheck === 'chain'
        ? 'certificate chain verified, host name not checked'
        : `certificate not verified: sslmode=${s.sslmode} and no CA given`;
  return s.tls.value.inUse
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
      };
}

/** TLS offered is not TLS required: a pg_hba.conf "host" rule beside "hostssl" still admits plaintext logins. */
function plaintextFindings(s: PgSnapshot, where: string): Finding[] {
  const probe = s.transport.plaintext;
  if (probe === undefined) return [];
  if (!probe.ok) return [couldNotRead('whether the server refuses a login without TLS', probe, where)];
  const p = probe.value;
  const label = `Postgres at ${where} must refuse logins without TLS`;
  const expected = 'plaintext login refused';
  return p.accepted
    ? [
        {
          status: 'fail',
          message: `${label} (found a plaintext login as "${p.user}" answered with ${p.answer}: a pg_hba.conf "host" rule admits it; use "hostssl" rules, or "hostnossl all all all reject" first).`,
          expected,
          actual: `answered with ${p.answer}`,
          resource: where,
        },
      ]
    : [{ status: 'pass', message: `${label} (found a plaintext login as "${p.user}" refused: ${p.answer}).`, expected, actual: 'refused', resource: where }];
}

export const pgConnectivity: Check<PgSnapshot> = {
  id: 'pg.connectivity',
  target: 'postgres',
  connectivity: true,
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const where = hostPort(s.endpoint);
    const findings: Finding[] = [];
    const offered = s.transport.tlsOffered;
    if (pgSpec.tls && offered.ok && !offered.value) {
      findings.push({
        status: 'fail',
        message: `Postgres at ${where} must be reached over TLS (found the server offers no TLS: it declines the SSLRequest).`,
        expected: 'TLS',
        actual: 'no TLS offered',
        resource: where,
      });
    } else if (s.unreached !== undefined) {
      findings.push({ status: 'error', message: `Could not log in to Postgres at ${where} (${s.unreached}).`, resource: where });
    } else if (!s.tls.ok) {
      findings.push(couldNotRead('pg_stat_ssl for the verifier session', s.tls, where));
    } else if (pgSpec.tls) {
      findings.push(tlsFinding(s, where), ...plaintextFindings(s, where));
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
    if (s.unreached !== undefined) return findings;
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
