import fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ObservatoryResponse, RedirectEntry } from '@mdn/mdn-http-observatory/src/types.js';

/** One exchange as the MDN HTTP Observatory's analyzers read it. Lives only while grading. */
export interface ObservatoryExchange {
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookies: readonly string[];
  readonly requestHeaders?: Readonly<Record<string, string>>;
  readonly body: string;
  readonly verified: boolean;
}

/** What the Observatory's retriever would have fetched: both redirect routes (last hop = final answer) and the CORS preflight. */
export interface ObservatoryInput {
  readonly hostname: string;
  /** http://host/ and every redirect followed from it; empty when plain HTTP is not served. */
  readonly http: readonly ObservatoryExchange[];
  /** https://host/ and every redirect followed from it. */
  readonly https: readonly ObservatoryExchange[];
  readonly cors?: ObservatoryExchange;
}

export interface ObservatoryTest {
  /** The Observatory's test name, e.g. content-security-policy. */
  readonly name: string;
  /** Its expectation id, e.g. csp-not-implemented. */
  readonly result: string;
  readonly pass: boolean;
  readonly modifier: number;
}

export interface ObservatoryGrade {
  readonly grade: string;
  readonly score: number;
  readonly tests: readonly ObservatoryTest[];
  /** False when the package's HSTS preload list was not installed (its postinstall downloads it): no host counts as preloaded. */
  readonly preloadList: boolean;
}

/**
 * The Observatory is an application package (fastify, Sentry, jsdom, network postinstalls), so prodcheck
 * lists it as an optional peer dependency: installed alongside, http.security-headers grades with it;
 * without it that one check is skipped, saying how to add it.
 */
export const OBSERVATORY_MISSING =
  'the MDN HTTP Observatory grader is not installed: `npm install @mdn/mdn-http-observatory` next to prodcheck to grade the security headers';

function packageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@mdn/mdn-http-observatory/package.json'));
  } catch {
    return undefined;
  }
}

export const observatoryInstalled = (): boolean => packageDir() !== undefined;

/** The Origin the Observatory's own preflight uses, so its CORS test sees what it would see. */
export async function observatoryCorsOrigin(): Promise<string> {
  const { CONFIG } = await import('@mdn/mdn-http-observatory/src/config.js');
  return CONFIG.retriever.corsOrigin;
}

/**
 * Grades the exchanges with the Observatory's own analyzers and grader, scoring them the way its
 * scanner does (its `scan()` fetches by itself and cannot be pointed at a pinned address or a private CA).
 */
export async function gradeWithObservatory(input: ObservatoryInput): Promise<ObservatoryGrade> {
  const [{ ALL_TESTS }, grader, { MINIMUM_SCORE_FOR_EXTRA_CREDIT }, { Requests }, { Session }, { parseHttpEquivHeaders }, hsts] = await Promise.all([
    import('@mdn/mdn-http-observatory/src/constants.js'),
    import('@mdn/mdn-http-observatory/src/grader/grader.js'),
    import('@mdn/mdn-http-observatory/src/grader/charts.js'),
    import('@mdn/mdn-http-observatory/src/types.js'),
    import('@mdn/mdn-http-observatory/src/retriever/session.js'),
    import('@mdn/mdn-http-observatory/src/retriever/utils.js'),
    import('@mdn/mdn-http-observatory/src/analyzer/hsts.js'),
  ]);
  const preloadList = loadPreloadList(hsts.isHstsPreloaded);
  const httpsFinal = input.https[input.https.length - 1];
  const httpFinal = input.http[input.http.length - 1];
  const auto = httpsFinal ?? httpFinal;
  if (!auto) throw new Error('neither http:// nor https:// answered');
  // The Observatory's scanner refuses to grade other answers.
  if (auto.status < 200 || (auto.status >= 400 && auto.status !== 401 && auto.status !== 403)) {
    throw new Error(`the MDN HTTP Observatory grades only 2xx, 3xx, 401 and 403 answers (found ${auto.status} for ${auto.url})`);
  }

  const requests = new Requests(input.hostname);
  const session = new Session(new URL(auto.url));
  for (const hop of httpsFinal ? input.https : input.http) for (const c of hop.setCookies) session.jar.setCookieSync(c, hop.url, { ignoreError: true });
  requests.session = session;
  requests.resources.path = auto.body;
  const autoResponse = response(auto, routeVerified(httpsFinal ? input.https : input.http));
  autoResponse.httpEquiv = /^(text\/html|application\/xhtml\+xml)/i.test(auto.headers['content-type'] ?? '') ? parseHttpEquivHeaders(auto.body, auto.url) : new Map();
  requests.responses.auto = autoResponse;
  requests.responses.https = httpsFinal ? autoResponse : null;
  requests.responses.http = httpFinal ? response(httpFinal, routeVerified(input.http)) : null;
  // As the Observatory's retriever does, both redirect lists hold the http:// route.
  requests.responses.httpRedirects = input.http.map(entry);
  requests.responses.httpsRedirects = input.http.map(entry);
  requests.responses.cors = input.cors ? response(input.cors, autoResponse.verified) : null;

  let withExtraCredit = 100;
  let uncurved = 100;
  const tests = ALL_TESTS.map((test) => {
    const out = test(requests);
    const modifier = out.result ? grader.getScoreModifier(out.result) : 0;
    withExtraCredit += modifier;
    if (modifier < 0) uncurved += modifier;
    return { name: out.constructor.name, result: out.result ?? 'no-result', pass: out.pass === true, modifier };
  });
  const { grade, score } = grader.getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved);
  return { grade, score, tests, preloadList };
}

/** An axios-like header bag: the analyzers enumerate its entries and call get(). */
function headerBag(headers: Readonly<Record<string, string | readonly string[]>>): ObservatoryResponse['headers'] {
  const bag = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  Object.defineProperty(bag, 'get', { enumerable: false, value: (name: string) => bag[name.toLowerCase()] ?? null });
  return bag as ObservatoryResponse['headers'];
}

function response(x: ObservatoryExchange, verified: boolean): ObservatoryResponse {
  const headers = headerBag(x.setCookies.length > 0 ? { ...x.headers, 'set-cookie': x.setCookies } : x.headers);
  return {
    headers,
    request: { headers: headerBag(x.requestHeaders ?? {}) },
    status: x.status,
    statusText: '',
    verified,
    data: x.body,
    config: { headers: {} },
  };
}

const entry = (x: ObservatoryExchange): RedirectEntry => ({ url: new URL(x.url), status: x.status });

/** The retriever marks a route unverified when any TLS hop on it failed verification. */
const routeVerified = (route: readonly ObservatoryExchange[]): boolean => route.every((x) => x.verified);

/**
 * The analyzers read conf/hsts-preload.json, which only the package's postinstall downloads (denied in
 * package.json allowScripts: installs run offline). Without it they throw on first use, so the first
 * read is answered with an empty list: no host counts as preloaded, and the site's own HSTS header is
 * graded. The list is cached by the package after that read, so the stand-in is needed exactly once;
 * the swap is synchronous, so no other code can observe it.
 */
function loadPreloadList(isHstsPreloaded: (host: string) => unknown): boolean {
  const PRELOAD_LIST = join(packageDir() ?? '', 'conf', 'hsts-preload.json');
  if (fs.existsSync(PRELOAD_LIST)) return true;
  const mutable = fs as { readFileSync: typeof fs.readFileSync };
  const original = mutable.readFileSync;
  mutable.readFileSync = ((path: unknown, ...rest: unknown[]) => (path === PRELOAD_LIST ? '{}' : (original as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fs.readFileSync;
  try {
    isHstsPreloaded('prodcheck.invalid');
  } finally {
    mutable.readFileSync = original;
  }
  return false;
}
