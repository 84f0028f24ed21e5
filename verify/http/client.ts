import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { TimeoutError } from '../net.js';

/** Where to connect instead of DNS: host (or IP) and port. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface HttpClientOptions {
  /** Host names whose connections go to `resolveHttps` / `resolveHttp` instead of DNS, like curl --resolve. */
  readonly pinned: ReadonlySet<string>;
  readonly resolveHttps?: Endpoint;
  readonly resolveHttp?: Endpoint;
  /** Trusted roots (PEM) replacing the system store, for a private CA. */
  readonly ca?: Buffer;
  readonly timeoutMs: number;
  /** Aborted when the run gives up on the target. */
  readonly signal: AbortSignal;
}

export interface ConnectOptions {
  readonly hostname: string;
  readonly port: number;
  readonly lookup?: LookupFunction;
  readonly servername?: string;
  /** Built once per client: a context per request would re-parse the CA on every handshake. */
  readonly secureContext?: SecureContext;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * Refuse a certificate that does not verify. Requests carrying credentials (sign-in, session cookie)
   * set this, so a broken or intercepted TLS connection never receives them; the others read the answer
   * anyway, and http.tls-certificate reports the certificate.
   */
  readonly verifyTls?: boolean;
}

/** One answer, body decoded. Set-Cookie values stay here, in memory, and never reach a snapshot. */
export interface HttpAnswer {
  readonly url: string;
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", "; Set-Cookie left out (see setCookies). */
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookies: readonly string[];
  /** The body with Content-Encoding undone. */
  readonly body: Buffer;
  /** Whether the TLS chain and host name verified; undefined over plain HTTP. */
  readonly tlsVerified?: boolean;
}

/** A request that got no HTTP answer: refused, reset, timed out, TLS failure, oversized body. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  constructor(
    readonly method: string,
    readonly url: string,
    reason: string,
    readonly code?: string,
  ) {
    super(`${method} ${url}: ${reason}`);
  }
}

/** A body beyond this fails the request: far more than any page or JS chunk, and a bound against a hostile server. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpClient {
  /** Requests in flight, destroyed together when the run gives up (one listener on the run's signal, not one per request). */
  private readonly inFlight = new Set<{ destroy(e: Error): void }>();
  private readonly secureContext: SecureContext | undefined;

  constructor(private readonly opts: HttpClientOptions) {
    this.secureContext = opts.ca ? createSecureContext({ ca: opts.ca }) : undefined;
    const abortAll = () => {
      for (const r of this.inFlight) r.destroy(new Error('the run gave up on the http target'));
    };
    opts.signal.addEventListener('abort', abortAll, { once: true });
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /** Whether a URL points at one of the app's own hosts (only those are ever contacted when pinned). */
  isPinned(url: string): boolean {
    return this.opts.pinned.has(new URL(url).hostname);
  }

  /** How to reach a URL's host: the real name (for Host, SNI and certificate checks) and where to connect. */
  connection(url: URL): ConnectOptions {
    const tls = url.protocol === 'https:';
    const pin = this.opts.pinned.has(url.hostname) ? (tls ? this.opts.resolveHttps : this.opts.resolveHttp) : undefined;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    return {
      hostname,
      port: pin?.port ?? (url.port ? Number(url.port) : tls ? 443 : 80),
      lookup: pin ? pinnedLookup(pin.host) : undefined,
      // SNI carries a DNS name, never an address (RFC 6066).
      servername: tls && isIP(hostname) === 0 ? hostname : undefined,
      secureContext: this.secureContext,
    };
  }

  send(req: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(req.url);
    const tls = url.protocol === 'https:';
    const headers: Record<string, string> = { host: url.host, 'user-agent': 'prodcheck', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const options = {
      ...this.connection(url),
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false as const,
      rejectUnauthorized: req.verifyTls ?? false,
    };
    return new Promise<HttpAnswer>((resolve, reject) => {
      let timedOut: TimeoutError | undefined;
      // A timeout that strikes mid-body surfaces as a reset of the response: report it as the timeout it is.
      const fail = (e: unknown) => reject(timedOut ?? new HttpRequestError(req.method, req.url, reasonOf(e), codeOf(e)));
      const r = (tls ? httpsRequest : httpRequest)(options, (res) => {
        // Read while the socket is certainly still attached: it may be gone once the body has ended.
        const tlsVerified = tls ? (res.socket as TLSSocket | null)?.authorized === true : undefined;
        readBody(res).then(
          (body) =>
            resolve({
              url: req.url,
              status: res.statusCode ?? 0,
              headers: flatHeaders(res),
              setCookies: res.headers['set-cookie'] ?? [],
              body: decode(body, res.headers['content-encoding']),
              tlsVerified,
            }),
          fail,
        );
      });
      // One deadline for the whole exchange: a server that accepts and then drips or hangs still fails in time.
      const timer = setTimeout(() => {
        timedOut = new TimeoutError(`${req.method} ${req.url}`, this.opts.timeoutMs);
        r.destroy(timedOut);
      }, this.opts.timeoutMs);
      this.inFlight.add(r);
      r.on('close', () => {
        clearTimeout(timer);
        this.inFlight.delete(r);
      });
      r.on('error', fail);
      if (this.opts.signal.aborted) r.destroy(new Error('the run gave up on the http target'));
      r.end(req.body);
    });
  }
}

function pinnedLookup(host: string): LookupFunction {
  const family = isIP(host);
  return (_name, options, callback) => {
    if (family === 0) return dnsLookup(host, options, callback as never);
    // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily), one otherwise.
    if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, [{ address: host, family }]);
    else callback(null, host, family);
  };
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) res.destroy(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
      else chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the server closed the connection mid-body')));
  });
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'br':
        return brotliDecompressSync(body);
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body);
      case 'deflate':
        return inflateSync(body);
      default:
        return body;
    }
  } catch {
    // A body that does not decode is judged as sent; compression is http.compression's business.
    return body;
  }
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (name === 'set-cookie' || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = codeOf(e);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
