import { createHash, randomBytes } from 'node:crypto';

/** Secrets the bundle-secret fault plants in a chunk: tests assert they never reach a finding. */
export interface PlantedSecrets {
  readonly stripeLiveKey: string;
  readonly serviceRoleJwt: string;
}

export function plantedSecrets(): PlantedSecrets {
  const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
  const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return {
    stripeLiveKey: `sk_live_${alnum(32)}`,
    serviceRoleJwt: [b64url({ alg: 'HS256', typ: 'JWT' }), b64url({ iss: 'supabase', ref: 'sandbox', role: 'service_role', iat: now, exp: now + 315_360_000 }), randomBytes(32).toString('base64url')].join('.'),
  };
}

export interface Chunk {
  readonly path: string;
  readonly body: string;
  /** Loaded by another chunk (import()) or a source map: no <script> tag names it. */
  readonly hidden?: boolean;
}

// Enough code that compression matters (over 1 KiB), as in any real chunk.
const RUNTIME = Array.from(
  { length: 24 },
  (_, i) => `function m${i}(e,t,n){"use strict";var r=n(${i});Object.defineProperty(t,"__esModule",{value:!0});t.default=function(o){return r.createElement("div",{className:"c${i}"},o.children)}}`,
).join(';\n');

/** The JS chunks the pages load, named by content hash as Next.js names them. */
/** The slow-page fault's script: one long main-thread task, as a heavy hydration or an analytics tag makes. */
export const LONG_TASK_MS = 1_500;

export function buildChunks(appName: string, secrets: PlantedSecrets | undefined, hidden?: PlantedSecrets, slow = false): Chunk[] {
  const planted = secrets ? `\nvar STRIPE_SECRET_KEY="${secrets.stripeLiveKey}",SUPABASE_SERVICE_ROLE_KEY="${secrets.serviceRoleJwt}";` : '';
  const sources = [
    ['webpack', `(self.webpackChunk=self.webpackChunk||[]);\n${RUNTIME}`],
    ['main', `/* ${appName} */\n${RUNTIME}\nself.__NEXT_P=self.__NEXT_P||[];`],
    ['app', `${RUNTIME}\nvar NEXT_PUBLIC_APP_NAME=${JSON.stringify(appName)};${planted}`],
  ] as const;
  const longTask = `(function(){var end=performance.now()+${LONG_TASK_MS};while(performance.now()<end){}})();`;
  const chunks = [...sources, ...(slow ? ([['long-task', longTask]] as const) : [])].map(([name, body]) => ({ path: chunkPath(name, body), body }));
  return hidden ? withHiddenSecrets(chunks, hidden) : chunks;
}

const chunkPath = (name: string, body: string) => `/_next/static/chunks/${name}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;

/**
 * The bundle-secret-hidden fault: the Stripe key in a chunk that only the app chunk's import() loads, and
 * the service-role JWT in the app chunk's source map. No <script> tag names either file.
 */
function withHiddenSecrets(chunks: Chunk[], secrets: PlantedSecrets): Chunk[] {
  const lazyBody = `${RUNTIME}\nexport const billing={key:"${secrets.stripeLiveKey}"};`;
  const lazy = { path: chunkPath('billing', lazyBody), body: lazyBody, hidden: true };
  const map = JSON.stringify({ version: 3, sources: ['webpack://app/./lib/admin.ts'], sourcesContent: [`export const SUPABASE_SERVICE_ROLE_KEY = "${secrets.serviceRoleJwt}";\n`], mappings: 'AAAA' });
  return chunks.map((c) => {
    if (!c.path.includes('/app-')) return c;
    const body = `${c.body}\nconst loadBilling=()=>import("./${lazy.path.split('/').pop() ?? ''}");\n//# sourceMappingURL=${c.path.split('/').pop() ?? ''}.map`;
    return { path: c.path, body };
  }).flatMap((c) => (c.path.includes('/app-') ? [c, { path: `${c.path}.map`, body: map, hidden: true }] : [c])).concat(lazy);
}

export function pageHtml(appName: string, path: string, chunks: readonly Chunk[]): string {
  const [preload, ...scripts] = chunks.filter((c) => !c.hidden);
  const filler = Array.from({ length: 12 }, (_, i) => `<p>${appName} helps teams ship section ${i + 1}: plans, billing, and support for every workspace.</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${appName} — ${path}</title>
${preload ? `<link rel="modulepreload" href="${preload.path}">` : ''}
${scripts.map((c) => `<script src="${c.path}" defer></script>`).join('\n')}
</head>
<body>
<main>
<h1>${appName}</h1>
${filler}
</main>
</body>
</html>
`;
}
