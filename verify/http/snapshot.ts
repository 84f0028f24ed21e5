import type { Probe } from '../types.js';
import type { CertificateInfo } from './certificate.js';
import type { ObservatoryGrade } from './observatory.js';

/** A Set-Cookie's name and attributes; the value is never kept. */
export interface CookieInfo {
  readonly name: string;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  /** lax, strict or none as sent; undefined when absent. */
  readonly sameSite?: string;
}

/** One answer as the checks need it: no body, no cookie values. */
export interface ResponseInfo {
  readonly status: number;
  /** Lower-case names, Set-Cookie left out (see cookies). */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly CookieInfo[];
  /** Body size after Content-Encoding was undone. */
  readonly bodyBytes: number;
  /** Whether TLS verified for this exchange; undefined over plain HTTP. */
  readonly tlsVerified?: boolean;
}

export interface RouteProbe<T = ResponseInfo> {
  readonly method: string;
  readonly path: string;
  readonly response: Probe<T>;
}

export interface HealthResponse extends ResponseInfo {
  /** The parsed body when it is JSON. */
  readonly json?: unknown;
}

export interface BurstResult {
  /** Requests sent: never more than limit + 1. */
  readonly sent: number;
  /** Status of each answer in the order they arrived. */
  readonly statuses: readonly number[];
  /** The first 429 and the rate-limit headers it carried (Retry-After, RateLimit-*, X-RateLimit-*). */
  readonly limited?: { readonly after: number; readonly headers: Readonly<Record<string, string>> };
}

export interface SecretFinding {
  readonly kind: string;
  /** Path of the file and line:column. */
  readonly location: string;
  /** fingerprint() of the value: length, prefix class, sha256 prefix. */
  readonly fingerprint: string;
}

export interface LeakProbe {
  /** What was sent, e.g. "POST /api/models with malformed JSON". */
  readonly label: string;
  readonly response: Probe<ResponseInfo & { readonly leaks: readonly string[] }>;
}

/** GET on the model-discovery route (spec http.models). */
export interface ModelCatalogue {
  readonly path: string;
  readonly response: Probe<{
    readonly status: number;
    /** Entries in the list; undefined when the body held no list (see problem). */
    readonly count?: number;
    /** Each entry's id (at most MAX_MODEL_IDS). */
    readonly ids: readonly string[];
    readonly problem?: string;
  }>;
}

/** One tier's burst with its test identity (http.rate-limit.per-identity). */
export interface TierBurst extends RouteProbe<BurstResult> {
  readonly tier: string;
  readonly limit: number;
}

/** Everything verify saw of the deployed app, gathered once. */
export interface HttpSnapshot {
  /** When it was gathered: certificate lifetimes are judged against this, keeping checks pure. */
  readonly checkedAt: string;
  /** The site checked, e.g. https://example.com. */
  readonly origin: string;
  readonly hosts: { readonly canonical: string; readonly apex: string; readonly www?: string };
  /** GET / on the origin: it answered (else collect failed and the target is unreachable). */
  readonly root: ResponseInfo;
  /**
   * Set when the origin's certificate did not verify (untrusted, expired, another host): whoever answered
   * may be an impostor, so no credentials or signed events were sent and only http.tls-certificate judges.
   */
  readonly untrusted?: { readonly host: string; readonly reason: string };
  readonly pages: readonly RouteProbe[];
  readonly apiSmoke: readonly RouteProbe[];
  readonly health: readonly RouteProbe<HealthResponse>[];
  /** GET http://<canonical host>/ without following redirects. */
  readonly httpRedirect: { readonly url: string; readonly response: Probe<ResponseInfo> };
  readonly certificates: readonly { readonly host: string; readonly handshake: Probe<CertificateInfo> }[];
  /** GET on the non-canonical host; undefined when app.canonicalHost is none. */
  readonly wwwRedirect?: { readonly from: string; readonly to: string; readonly response: Probe<ResponseInfo> };
  /** Undefined when the optional Observatory package is not installed. */
  readonly observatory: Probe<ObservatoryGrade> | undefined;
  readonly cors: {
    readonly path: string;
    /** Preflights (and, from hostile origins, credentialed GETs). */
    readonly preflights: readonly {
      readonly origin: string;
      readonly allowed: boolean;
      /** OPTIONS (the default) or a credentialed GET. */
      readonly method?: 'OPTIONS' | 'GET';
      /** Why the origin is hostile, e.g. "look-alike suffix of https://a.example"; undefined for an unrelated origin. */
      readonly hostile?: string;
      readonly response: Probe<ResponseInfo>;
    }[];
  };
  /** One burst per spec rate limit; undefined when the run is not --active. */
  readonly rateLimits?: readonly (RouteProbe<BurstResult> & { readonly limit: number })[];
  /** One burst per tier of each spec tiered limit; undefined when the run is not --active. */
  readonly tierLimits?: readonly TierBurst[];
  /** Undefined when the spec has no http.models. */
  readonly models?: ModelCatalogue;
  /** Undefined when the stack has no Stripe webhook. */
  readonly webhook?: {
    readonly path: string;
    readonly unsigned: Probe<ResponseInfo>;
    /** A POST signed with a secret that is not the endpoint's. */
    readonly forged: Probe<ResponseInfo>;
    /** A POST signed with the real secret an hour ago, or why it was not sent. */
    readonly expired: { readonly sent: true; readonly response: Probe<ResponseInfo> } | { readonly sent: false; readonly reason: string };
    /** The signed test event, or why it was not sent. */
    readonly signed: { readonly sent: true; readonly eventType: string; readonly response: Probe<ResponseInfo> } | { readonly sent: false; readonly reason: string };
  };
  readonly protectedRoutes: readonly {
    readonly path: string;
    readonly anonymous: Probe<ResponseInfo>;
    /** With a session cookie of the spec's name that no sign-in issued. */
    readonly forged?: Probe<ResponseInfo>;
    /** With a JWT-shaped session cookie whose exp has passed. */
    readonly expired?: Probe<ResponseInfo>;
    readonly withSession?: Probe<ResponseInfo>;
  }[];
  readonly session: {
    /** The sign-in request, when targets http.signIn is set. */
    readonly signIn?: RouteProbe;
    /** The spec's session cookie as first set, and by which request. */
    readonly cookie?: CookieInfo & { readonly setBy: string };
  };
  readonly bundle: {
    readonly scanned: readonly { readonly path: string; readonly bytes: number }[];
    readonly failed: readonly { readonly path: string; readonly error: string }[];
    readonly secrets: readonly SecretFinding[];
  };
  /** Same-site scripts the pages load: for compression and CDN caching. */
  readonly assets: readonly RouteProbe[];
  readonly errorProbes: readonly LeakProbe[];
}
