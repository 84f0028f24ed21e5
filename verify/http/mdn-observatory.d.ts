// The parts of @mdn/mdn-http-observatory (plain JS with JSDoc, no published types) that verify uses.

declare module '@mdn/mdn-http-observatory/src/types.js' {
  /** The shape of an axios response as the analyzers read it. */
  export interface ObservatoryResponse {
    headers: Record<string, unknown> & { get(name: string): unknown };
    request: { headers: Record<string, unknown> & { get(name: string): unknown } };
    status: number;
    statusText: string;
    verified: boolean;
    data: string;
    config: { headers: Record<string, unknown> };
    httpEquiv?: Map<string, string[]>;
  }
  export interface RedirectEntry {
    url: URL;
    status: number;
  }
  export class Requests {
    constructor(hostname: string);
    hostname: string;
    resources: { path: string | null };
    responses: {
      auto: ObservatoryResponse | null;
      cors: ObservatoryResponse | null;
      http: ObservatoryResponse | null;
      https: ObservatoryResponse | null;
      httpRedirects: RedirectEntry[];
      httpsRedirects: RedirectEntry[];
    };
    session: { url: URL; jar: { setCookieSync(cookie: string, url: string, options?: { ignoreError?: boolean }): unknown } } | null;
  }
}

declare module '@mdn/mdn-http-observatory/src/constants.js' {
  import type { Requests } from '@mdn/mdn-http-observatory/src/types.js';
  export interface TestOutput {
    result: string | null;
    pass: boolean | null;
    constructor: { name: string };
  }
  export const ALL_TESTS: readonly ((requests: Requests) => TestOutput)[];
}

declare module '@mdn/mdn-http-observatory/src/grader/grader.js' {
  export function getGradeForScore(score: number): { score: number; grade: string };
  export function getScoreModifier(expectation: string): number;
  export function getScoreDescription(expectation: string): string;
}

declare module '@mdn/mdn-http-observatory/src/grader/charts.js' {
  export const MINIMUM_SCORE_FOR_EXTRA_CREDIT: number;
}

declare module '@mdn/mdn-http-observatory/src/retriever/session.js' {
  export class Session {
    constructor(url: URL);
    url: URL;
    jar: { setCookieSync(cookie: string, url: string, options?: { ignoreError?: boolean }): unknown };
  }
}

declare module '@mdn/mdn-http-observatory/src/retriever/utils.js' {
  export function parseHttpEquivHeaders(html: string, baseUrl: string): Map<string, string[]>;
}

declare module '@mdn/mdn-http-observatory/src/analyzer/hsts.js' {
  export function isHstsPreloaded(hostname: string): unknown;
}

declare module '@mdn/mdn-http-observatory/src/config.js' {
  export const CONFIG: { retriever: { corsOrigin: string } };
}
