import { readFile } from 'node:fs/promises';
import { appUrl, type StackSpec, type Targets } from '../../spec/index.js';
import type { Redactor } from '../../report/redact.js';
import { HttpClient, type Endpoint, type HttpAnswer, type HttpRequest } from './client.js';
import { cookieInfos } from './cookies.js';
import type { ResponseInfo } from './snapshot.js';

export type HttpTargets = NonNullable<Targets['http']>;

/** The whole site could not be reached (GET / got no answer, or the CA file is unreadable). */
export class HttpUnreachableError extends Error {
  override readonly name = 'HttpUnreachableError';
  constructor(
    readonly origin: string,
    reason: string,
  ) {
    super(reason.includes(origin) ? reason : `${origin}: ${reason}`);
  }
}

export const ACCEPT_HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
export const ACCEPT_ENCODING = 'br, gzip';
const MAX_REDIRECTS = 10;

/** The app's host names and the client that reaches them; every probe goes through this. */
export class Site {
  readonly origin: URL;
  /** The host the site is served on (origin's), and the apex and www names of app.domain. */
  readonly canonical: string;
  readonly apex: string;
  readonly www?: string;

  private constructor(
    spec: StackSpec,
    t: HttpTargets,
    readonly client: HttpClient,
    private readonly pinning: boolean,
    readonly redactor: Redactor,
    readonly signal: AbortSignal,
  ) {
    this.origin = new URL(t.baseUrl ?? appUrl(spec.app));
    this.canonical = this.origin.hostname;
    this.apex = spec.app.domain;
    this.www = spec.app.canonicalHost === 'none' ? undefined : `www.${spec.app.domain}`;
  }

  static async open(spec: StackSpec, t: HttpTargets, redactor: Redactor, signal: AbortSignal): Promise<Site> {
    const origin = new URL(t.baseUrl ?? appUrl(spec.app)).origin;
    let ca: Buffer | undefined;
    if (t.caFile !== undefined) {
      try {
        ca = await readFile(t.caFile);
      } catch (e) {
        throw new HttpUnreachableError(origin, `cannot read targets http.caFile ${t.caFile} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    }
    const pinned = new Set([new URL(origin).hostname, spec.app.domain, `www.${spec.app.domain}`]);
    const resolveHttps = t.resolve ? endpoint(t.resolve) : undefined;
    const resolveHttp = t.resolveHttp ? endpoint(t.resolveHttp) : resolveHttps ? { host: resolveHttps.host, port: 80 } : undefined;
    const timeoutMs = Math.min(t.timeoutMs, spec.http.timeoutMs);
    const pinning = resolveHttps !== undefined || resolveHttp !== undefined;
    const client = new HttpClient({ pinned: pinning ? pinned : new Set(), resolveHttps, resolveHttp, ca, timeoutMs, signal });
    return new Site(spec, t, client, pinning, redactor, signal);
  }

  url(path: string): string {
    return new URL(path, this.origin).href;
  }

  /**
   * The app's own hosts: the only ones verify follows redirects to or fetches scripts from. With
   * resolve pinning only the pinned names qualify, so nothing is ever looked up in public DNS.
   */
  own(url: string): boolean {
    const host = new URL(url).hostname;
    if (this.pinning) return this.client.isPinned(url);
    return host === this.canonical || host === this.apex || host.endsWith(`.${this.apex}`);
  }

  send(req: HttpRequest): Promise<HttpAnswer> {
    return this.client.send({ ...req, headers: { 'accept-encoding': ACCEPT_ENCODING, ...req.headers } });
  }

  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer> {
    return this.send({ method: 'GET', url: this.url(path), headers });
  }

  /** GETs `first`'s redirects (on the app's own hosts) until a final answer; returns every hop, first included. */
  async follow(first: HttpAnswer): Promise<HttpAnswer[]> {
    const hops = [first];
    for (let last = first; hops.length <= MAX_REDIRECTS; ) {
      const location = last.headers.location;
      if (last.status < 300 || last.status > 399 || !location || !URL.canParse(location, last.url)) break;
      const next = new URL(location, last.url);
      if ((next.protocol !== 'https:' && next.protocol !== 'http:') || !this.own(next.href)) break;
      last = await this.send({ method: 'GET', url: next.href, headers: { accept: ACCEPT_HTML } });
      hops.push(last);
    }
    return hops;
  }

  /** Runs one probe; its failure is recorded (redacted) instead of failing the others. */
  async probe<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      return { ok: false, error: this.redactor.redact(e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e)) };
    }
  }
}

export function responseInfo(a: HttpAnswer): ResponseInfo {
  return { status: a.status, headers: a.headers, cookies: cookieInfos(a.setCookies), bodyBytes: a.body.length, tlsVerified: a.tlsVerified };
}

function endpoint(hostPort: string): Endpoint {
  const at = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(at + 1)) };
}
