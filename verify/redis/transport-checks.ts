import type { Check, Finding } from '../types.js';
import type { RedisReached, RedisSnapshot } from './collect.js';
import { cannot, withSpec } from './common.js';

/** The connectivity finding about clients that send no credentials, under its own resource name. */
const AUTH_RESOURCE = 'authentication';

function anonymousFinding(s: RedisReached): Finding {
  const resource = AUTH_RESOURCE;
  if (!s.anonymous.ok) return { ...cannot('check that Redis requires authentication', s.anonymous.error), resource };
  const expected = 'a client without credentials refused';
  const { accepted, answer } = s.anonymous.value;
  const via = s.transport === 'upstash-rest' ? 'a request without a token' : 'PING without AUTH';
  return accepted
    ? { status: 'fail', resource, message: `Redis at ${s.endpoint} must refuse clients that send no credentials (found ${via} answered ${answer}).`, expected, actual: `${via} answered ${answer}` }
    : { status: 'pass', resource, message: `Redis at ${s.endpoint} refuses clients that send no credentials (${via} answered ${answer}).`, expected, actual: `${via} answered ${answer}` };
}

export const redisConnectivity: Check<RedisSnapshot> = {
  id: 'redis.connectivity',
  target: 'redis',
  connectivity: true,
  evaluate(s) {
    if ('tlsRejected' in s) return [{ status: 'skip', message: `Redis at ${s.endpoint} failed TLS verification, so nothing was sent to it (see redis.tls).` }];
    const auth = anonymousFinding(s);
    if (s.ping === 'PONG') {
      const version = s.info.ok ? s.info.value.redis_version : undefined;
      return [{ status: 'pass', message: `Redis${version ? ` ${version}` : ''} answered PING at ${s.endpoint}.`, expected: 'PONG', actual: s.ping }, auth];
    }
    return [{ status: 'fail', message: `Redis must answer PING with PONG at ${s.endpoint} (found ${s.ping}).`, expected: 'PONG', actual: s.ping }, auth];
  },
};

export const redisTls: Check<RedisSnapshot> = {
  id: 'redis.tls',
  target: 'redis',
  evaluate: (s, spec) => {
    // A rediss:// URL asks for TLS whatever the spec says, and a certificate nobody can trust is never a pass.
    if ('tlsRejected' in s) {
      return [
        {
          status: 'fail',
          message: `Redis at ${s.endpoint} must present a certificate that verifies for its host (found ${s.tlsRejected}); no command or credential was sent.`,
          expected: 'a certificate chain to a trusted CA, in date, for the host in the URL',
          actual: s.tlsRejected,
        },
      ];
    }
    return withSpec(spec, (r) => {
      if (!r.tls) return [{ status: 'skip', message: 'Redis TLS is not required (spec redis.tls is false).' }];
      const expected = 'a rediss:// or https:// URL, an encrypted connection, plaintext refused';
      const { scheme } = s.tls;
      if (scheme !== 'rediss' && scheme !== 'https') {
        return [{ status: 'fail', message: `Redis must be reached over TLS (found a plaintext ${scheme}:// URL).`, expected, actual: `${scheme}://` }];
      }
      if (!s.tls.encrypted) {
        return [{ status: 'fail', message: `Redis connection to ${s.endpoint} must be encrypted (found plaintext).`, expected, actual: 'plaintext connection' }];
      }
      if (s.tls.plaintext === undefined) {
        return [{ status: 'pass', message: 'Redis is reached over TLS (Upstash REST over https).', expected, actual: 'https' }];
      }
      if (!s.tls.plaintext.ok) return [cannot('check that Redis refuses plaintext', s.tls.plaintext.error)];
      const { answeredOn } = s.tls.plaintext.value;
      if (answeredOn !== undefined) {
        return [
          {
            status: 'fail',
            message: `Redis must refuse plaintext connections (found a plaintext PING answered on port ${answeredOn}).`,
            expected,
            actual: `plaintext PING answered on port ${answeredOn}`,
          },
        ];
      }
      const version = s.tls.protocol ?? 'TLS';
      return [{ status: 'pass', message: `Redis is reached over TLS (${version}) and refuses plaintext.`, expected, actual: `${version}, plaintext refused` }];
    });
  },
};
