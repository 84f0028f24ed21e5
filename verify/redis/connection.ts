import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Redis as UpstashClient, Requester } from '@upstash/redis';
import type { Redis as IORedis } from 'ioredis';
import type { Targets } from '../../spec/index.js';
import { describeError } from '../net.js';
import type { Redactor } from '../../report/redact.js';
import type { Probe } from '../types.js';
import { upstashRequester } from './upstash-rest.js';

export type RedisTargets = NonNullable<Targets['redis']>;

/** The whole target is unreachable (refused, timed out, bad credentials): every check but connectivity skips. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  constructor(
    readonly endpoint: string,
    reason: string,
    /** A network hiccup (reset, timeout) worth another try, as opposed to refused, bad TLS or bad password. */
    readonly transient = false,
  ) {
    super(`${endpoint}: ${reason}`);
  }
}

/** Where a redis:// or rediss:// URL points, without its credentials. */
export interface TcpEndpoint {
  readonly scheme: 'redis' | 'rediss';
  readonly host: string;
  readonly port: number;
  /** e.g. rediss://127.0.0.1:6380; WHATWG URLs keep IPv6 hosts bracketed, the form an endpoint is written in. */
  readonly endpoint: string;
  /** The TLS options every connection to it uses (undefined for redis://): the run's CA, SNI for DNS names. */
  readonly tls: ConnectionOptions | undefined;
}

export async function tcpEndpoint(url: string, t: RedisTargets): Promise<TcpEndpoint> {
  const u = new URL(url);
  const scheme = u.protocol === 'rediss:' ? 'rediss' : 'redis';
  const port = Number(u.port || 6379);
  const endpoint = `${scheme}://${u.hostname}:${port}`;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let ca: Buffer | undefined;
  if (scheme === 'rediss' && t.caFile !== undefined) {
    try {
      ca = await readFile(t.caFile);
    } catch (e) {
      throw new RedisUnreachableError(endpoint, `cannot read targets redis.caFile ${t.caFile} (${(e as NodeJS.ErrnoException).code ?? describeError(e)})`);
    }
  }
  // SNI must carry a DNS name, never an IP address (RFC 6066).
  const tls = scheme === 'rediss' ? { ca, servername: isIP(host) ? undefined : host } : undefined;
  return { scheme, host, port, endpoint, tls };
}

/** An ioredis client that sends nothing but the commands verify asks for, and never retries on its own. */
export async function tcpClient(url: string, at: TcpEndpoint, timeoutMs: number): Promise<IORedis> {
  const { Redis } = await import('ioredis');
  return new Redis(url, {
    tls: at.tls,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    // Verify sends read commands only: no CLIENT SETINFO / SETNAME on connect.
    disableClientInfo: true,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => null,
  });
}

/**
 * An Upstash client whose every request is bounded by `timeoutMs` (and the run's signal) and every answer by
 * MAX_API_BODY_BYTES, with no retries of its own (DESIGN.md "Bounded"), and whose errors name the HTTP status
 * and Upstash's text (upstash-rest.ts). Replies stay raw: the client would otherwise JSON.parse key names and INFO text.
 */
export async function upstashClient(url: string, token: string, timeoutMs: number, signal: AbortSignal): Promise<UpstashClient> {
  const { Redis } = await import('@upstash/redis');
  class BoundedUpstash extends Redis {
    constructor(requester: Requester) {
      super(requester);
      this.opts = { automaticDeserialization: false };
      this.enableTelemetry = false;
      this.enableAutoPipelining = false;
    }
  }
  return new BoundedUpstash(upstashRequester(url, token, timeoutMs, signal));
}

/**
 * Node's codes for a server certificate this run does not trust (unknown CA, self-signed, expired, not for
 * this host) and for a TLS handshake that failed outright (a plaintext server behind a rediss:// URL).
 */
export function isTlsRejection(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_TLS_CERT_|ERR_SSL_)/.test(code);
}

export async function probe<T>(run: () => Promise<T>, redactor: Redactor): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: clean(e, redactor) };
  }
}

/** One line, the secrets of this run masked, and the Upstash client's echo of the command body cut off. */
export function clean(e: unknown, redactor: Redactor): string {
  const cause = (e as { cause?: unknown })?.cause;
  const text = describeError(e).replace(/, command was: .*$/, '');
  const withCause = cause !== undefined && text === 'fetch failed' ? `${text}: ${describeError(cause)}` : text;
  return redactor.redact(withCause);
}
