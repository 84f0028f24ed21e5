import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import type { ConfigProblem } from './errors.js';
import { ConfigError, formatPath } from './errors.js';
import { INPUT_LIMITS, parseYamlInput, readInputFile } from './input.js';
import { envKey } from './schema/common.js';
import { DATADOG_SITES } from './schema/datadog.js';
import { supabaseRef } from './schema/supabase.js';
import { zodProblems } from './zod-problems.js';

const url = (schemes: readonly string[]) =>
  z.string().refine((s) => URL.canParse(s) && schemes.includes(new URL(s).protocol.slice(0, -1)), { message: `must be a ${schemes.join(':// or ')}:// URL` });
const timeoutMs = z.number().int().positive().max(120_000);

/** Where the live system is and the credentials to read it. Every API section takes a base URL override. */
export const targetsSchema = z.strictObject({
  postgres: z
    .strictObject({
      /** Connection string of the read-only verifier role. */
      url: url(['postgres', 'postgresql']),
      /** The pooler the app connects through (pgbouncer, RDS Proxy, Supabase pooler). */
      poolerUrl: url(['postgres', 'postgresql']).optional(),
      /** pgbouncer admin console (`pgbouncer` database) for SHOW POOLS. */
      poolerAdminUrl: url(['postgres', 'postgresql']).optional(),
      caFile: z.string().optional(),
      timeoutMs: timeoutMs.default(5_000),
    })
    .optional(),
  redis: z
    .strictObject({
      url: url(['redis', 'rediss']).optional(),
      upstash: z.strictObject({ url: url(['https', 'http']), token: z.string().min(1), readOnlyToken: z.string().min(1).optional() }).optional(),
      caFile: z.string().optional(),
      timeoutMs: timeoutMs.default(5_000),
      /** Timed PINGs for redis.latency (after a warm-up); fewer than 50 cannot give a stable p95. */
      pings: z.number().int().min(50).max(1000).default(100),
    })
    .refine((r) => r.url !== undefined || r.upstash !== undefined, { message: 'needs url (redis:// or rediss://) or upstash (REST url and token)' })
    .optional(),
  stripe: z
    .strictObject({
      /** The key verify reads with: a restricted read-only key (rk_live_…) is enough. */
      apiKey: z.string().regex(/^(sk|rk)_(live|test)_/, { message: 'must be a Stripe secret or restricted key (sk_… or rk_…)' }),
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
      /** The app's STRIPE_SECRET_KEY when it is not apiKey (e.g. `${output:stripe.secretKey}`); judged by env.stripe-secret-key. */
      secretKey: z.string().min(1).optional(),
      /** The app's STRIPE_PUBLISHABLE_KEY; judged by env.stripe-publishable-key. */
      publishableKey: z.string().min(1).optional(),
      /** The price id each price env var holds, e.g. `STRIPE_PRO_PRICE_ID: ${output:stripe.price.pro}`; judged by env.stripe-price-ids. */
      priceIds: z.record(envKey, z.string().min(1)).optional(),
      /** A customer whose metered usage must be recent (stripe.usage-reporting reads its meter event summaries). */
      usageCustomer: z.string().regex(/^cus_/, { message: 'must be a Stripe customer id (cus_…)' }).optional(),
    })
    .optional(),
  http: z
    .strictObject({
      /** The site to check; default: the stack's app URL (https://<canonical host>). */
      baseUrl: url(['https', 'http']).optional(),
      /** Connect HTTPS requests for the app's host names to this host:port, keeping the real name for Host and SNI (curl --resolve). */
      resolve: z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i, { message: 'must be host:port, e.g. 127.0.0.1:8443' }).optional(),
      /** The same for plain-HTTP requests (the http:// redirect probe); default: resolve's host on port 80. */
      resolveHttp: z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i, { message: 'must be host:port, e.g. 127.0.0.1:8080' }).optional(),
      /** PEM file of a private CA the site's certificate chains to. */
      caFile: z.string().optional(),
      timeoutMs: timeoutMs.default(10_000),
      /** Signs a test user in, to read the session cookie's flags and reach protected routes with it. */
      signIn: z
        .strictObject({
          path: z.string().regex(/^\/[^\s#]*$/, { message: 'must be a path starting with /' }),
          method: z.enum(['POST', 'PUT']).default('POST'),
          contentType: z.string().default('application/json'),
          /** The request body with the test user's credentials, e.g. {"email":"…","password":"${env:TEST_USER_PASSWORD}"}. */
          credentials: z.string().min(1),
        })
        .optional(),
      /** The Stripe webhook signing secret (whsec_…), usually ${output:…}: signs the --active test event. */
      webhookSecret: z.string().regex(/^whsec_/, { message: 'must be a Stripe webhook signing secret (whsec_…)' }).optional(),
      /** Test identities per tier for http.rate-limit.per-identity, e.g. pro: { headers: { authorization: "Bearer ${env:PRO_KEY}" } }; every value is a secret. */
      identities: z.record(z.string(), z.strictObject({ headers: z.record(z.string(), z.string().min(1)) })).optional(),
    })
    .optional(),
  /** The perf family reaches the app through the http section; this says where its browser is. */
  perf: z
    .strictObject({
      /** Chromium or Chrome for Lighthouse (default: $CHROME_PATH, else /usr/bin/chromium, chromium, google-chrome on PATH). */
      chromePath: z.string().min(1).optional(),
    })
    .optional(),
  vercel: z
    .strictObject({
      token: z.string().min(1),
      teamId: z.string().optional(),
      projectId: z.string().optional(),
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
      /** How long to read the runtime-log stream of the production deployment (the API keeps it open for new lines). */
      logsReadMs: z.number().int().min(500).max(60_000).default(5_000),
      /** Provisioned endpoints the connection-string env vars must point at, typically `${output:...}` host names. */
      expect: z.strictObject({ databaseHost: z.string().min(1).optional(), redisHost: z.string().min(1).optional() }).default({}),
    })
    .optional(),
  aws: z
    .strictObject({
      region: z.string().min(1),
      endpoint: url(['https', 'http']).optional(),
      rdsInstanceId: z.string().optional(),
      replicationGroupId: z.string().optional(),
      /** The AWS Backup restore testing plan whose jobs pg.backups.restore-test reads (default: any restore job of the instance). */
      restoreTestingPlanArn: z.string().regex(/^arn:aws[a-z-]*:backup:/, { message: 'must be an AWS Backup restore testing plan ARN (arn:aws:backup:…)' }).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  repo: z
    .strictObject({
      path: z.string().default('.'),
      /** Registry npm audit asks (`--registry`); the npm config's registry when omitted. */
      npmRegistry: url(['https', 'http']).optional(),
      auditTimeoutMs: timeoutMs.default(60_000),
      /** Upper bound on the history scanned for secrets; a longer history is an error, not a partial pass. */
      maxHistoryBytes: z.number().int().positive().default(512 * 1024 * 1024),
    })
    .optional(),
  dns: z.strictObject({ servers: z.array(z.string()).default([]), timeoutMs: timeoutMs.default(5_000) }).optional(),
  github: z
    .strictObject({
      /** A token that can read the repository's checks and branch protection (fine-grained: Checks, Commit statuses, Administration: read). */
      token: z.string().min(1),
      /** GitHub Enterprise Server API root, e.g. https://github.example.com/api/v3; default https://api.github.com. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  sentry: z
    .strictObject({
      /** An auth token that can read the project, its keys and alert rules (scopes project:read, alerts:read). */
      token: z.string().min(1),
      /** Self-hosted Sentry or a region URL, e.g. https://de.sentry.io; default https://sentry.io. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  checkly: z
    .strictObject({
      /** Your Checkly account id (Settings > Account > General); sent as X-Checkly-Account. */
      accountId: z.string().min(1),
      /** A user API key (Settings > User > API keys), usually ${env:CHECKLY_API_KEY}. */
      apiKey: z.string().min(1),
      /** Checkly's API root; default https://api.checklyhq.com. */
      baseUrl: url(['https', 'http']).optional(),
      /** Where to GET the status page instead of its public address (a local stand-in). */
      statusPageUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  /** Upstash's Developer API: the database's own settings (eviction, TLS, regions, plan), which Redis CONFIG does not show on Upstash. */
  upstash: z
    .strictObject({
      /** The email of the Upstash account (or team member) the API key belongs to. */
      email: z.string().min(1),
      /** A Developer API key (console: Account > Management API), e.g. ${env:UPSTASH_API_KEY}. */
      apiKey: z.string().min(1),
      /** The database's id, e.g. ${output:upstashDatabaseId}. */
      databaseId: z.string().min(1),
      /** Default https://api.upstash.com. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  neon: z
    .strictObject({
      /** The Neon project (Vercel Postgres: the store's Neon project), e.g. spring-example-302709. */
      projectId: z.string().regex(/^[a-z0-9-]{1,60}$/, { message: 'must be a Neon project id (lower-case letters, digits and -)' }),
      /** A Neon API key that can read the project (and, for the --active restore test, create and delete a branch). */
      apiKey: z.string().min(1),
      /** The production branch, by name or id (br-…); default: the project's default branch. */
      branch: z.string().min(1).max(256).optional(),
      /** The app's DATABASE_URL (e.g. ${env:DATABASE_URL}); pg.connection-pooling asks that its host be the production compute's -pooler host. */
      databaseUrl: url(['postgres', 'postgresql']).optional(),
      /** The role the --active restore test connects as on its branch when Neon gives no connection URI (several roles or databases). */
      restoreRole: z.string().min(1).max(63).optional(),
      /** Neon API root; default https://console.neon.tech/api/v2. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  supabase: z
    .strictObject({
      /** The project's ref (https://<ref>.supabase.co). */
      projectRef: supabaseRef,
      /** A Management API token (personal access token or OAuth) that can read the project's settings and API keys. */
      accessToken: z.string().min(1),
      /** Default https://api.supabase.com. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  resend: z
    .strictObject({
      /** A full-access API key: a sending-access key cannot read domains (usually ${env:RESEND_API_KEY}). */
      apiKey: z.string().min(1),
      /** Default https://api.resend.com. */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
  litellm: z
    .strictObject({
      /** Where to reach the proxy; default: prodcheck:litellm.url. */
      baseUrl: url(['https', 'http']).optional(),
      /** The proxy's master key (LITELLM_MASTER_KEY), e.g. `${env:LITELLM_MASTER_KEY}`: /v1/models and /health need it. */
      masterKey: z.string().min(1),
      timeoutMs: timeoutMs.default(10_000),
      /** GET /health calls every model's provider before it answers; its own bound, below the run's 60 s per target. */
      healthTimeoutMs: timeoutMs.max(55_000).default(30_000),
    })
    .optional(),
  datadog: z
    .strictObject({
      /** An API key of the organization (Organization Settings > API Keys), usually ${env:DD_API_KEY}. */
      apiKey: z.string().min(1),
      /** An application key with the slos_read, timeseries_query and dashboards_read scopes, usually ${env:DD_APP_KEY}. */
      applicationKey: z.string().min(1),
      /** The site the organization is on when it is not prodcheck:datadog.site (datadoghq.com, datadoghq.eu, ...). */
      site: z.enum(DATADOG_SITES).optional(),
      /** The API root instead of https://api.<site> (a local stand-in). */
      baseUrl: url(['https', 'http']).optional(),
      timeoutMs: timeoutMs.default(10_000),
    })
    .optional(),
});

export type Targets = z.output<typeof targetsSchema>;

export interface LoadedTargets {
  readonly file: string;
  readonly targets: Targets;
  /** Every secret value met while loading: register each with the redactor. */
  readonly secrets: readonly string[];
}

const REF = /\$\{(env|output):([A-Za-z_][A-Za-z0-9_.-]*)\}/g;
const SECRET_KEY = /pass(word)?|token|secret|api_?key|master_?key|application_?key|authorization|credential/i;

/** Reads `pulumi stack output --json --show-secrets` output. */
export function loadOutputs(file: string): Record<string, unknown> {
  const text = readInputFile(file, 'outputs file', `create it with \`pulumi stack output --json --show-secrets > ${file}\``, INPUT_LIMITS.config);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not the JSON object that \`pulumi stack output --json --show-secrets\` prints (${(e as Error).message})` }]);
  }
}

/** Reads a targets YAML file, resolving `${env:NAME}` and `${output:NAME}`; every missing reference is a problem. */
export function loadTargets(file: string, env: NodeJS.ProcessEnv, outputs: Readonly<Record<string, unknown>> | undefined): LoadedTargets {
  const text = readInputFile(file, 'targets file', 'pass --targets FILE (see targets.example.yaml)', INPUT_LIMITS.config);
  const raw: unknown = parseYamlInput(text, file) ?? {};
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0) {
    throw new ConfigError(file, [{ path: '', message: `names no target, so nothing would be checked: add at least one section (${Object.keys(targetsSchema.shape).join(', ')}; see targets.example.yaml)` }]);
  }
  return resolveTargets(raw, file, env, outputs);
}

export function resolveTargets(raw: unknown, file: string, env: NodeJS.ProcessEnv, outputs: Readonly<Record<string, unknown>> | undefined): LoadedTargets {
  const problems: ConfigProblem[] = [];
  const secrets = new Set<string>();
  const resolve = (value: unknown, path: PropertyKey[]): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => resolve(v, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, [...path, k])]));
    }
    if (typeof value !== 'string') return value;
    // `${env:`, `${env:}x`, `${secret:X}`: used as a literal it would be sent as a credential.
    const malformed = /\$\{[^}]*\}?/.exec(value.replace(REF, ''));
    if (malformed) {
      problems.push({ path: formatPath(path), message: `holds "${malformed[0].slice(0, 40)}", which is not a reference: write \${env:NAME} or \${output:NAME}` });
      return '';
    }
    const out = value.replace(REF, (_m, kind: string, name: string) => {
      const found = kind === 'env' ? env[name] : lookupOutput(outputs, name);
      if (found === undefined) {
        problems.push({ path: formatPath(path), message: missingRef(kind, name, outputs !== undefined) });
        return '';
      }
      if (typeof found !== 'string' && typeof found !== 'number' && typeof found !== 'boolean') {
        problems.push({ path: formatPath(path), message: `references \${output:${name}}, which is not a string, number or boolean: name a field inside it (\${output:${name}.field})` });
        return '';
      }
      return String(found);
    });
    const last = path[path.length - 1];
    if (typeof last === 'string' && SECRET_KEY.test(last) && out) secrets.add(out);
    for (const s of urlSecrets(out)) secrets.add(s);
    return out;
  };
  const resolved = anchorPaths(resolve(raw, []), dirname(file));
  if (outputs) for (const [k, v] of Object.entries(outputs)) if (SECRET_KEY.test(k) && typeof v === 'string' && v) secrets.add(v);
  if (problems.length > 0) throw new ConfigError(file, problems);
  const parsed = targetsSchema.safeParse(resolved);
  if (!parsed.success) throw new ConfigError(file, zodProblems(parsed.error, (p) => p));
  const missing = pathProblems(parsed.data);
  if (missing.length > 0) throw new ConfigError(file, missing);
  return { file, targets: parsed.data, secrets: [...secrets] };
}

/** The targets settings that name a file or directory. */
const PATH_SETTINGS: readonly (readonly [section: string, key: string])[] = [
  ['postgres', 'caFile'],
  ['redis', 'caFile'],
  ['http', 'caFile'],
  ['repo', 'path'],
];
/** Connection-string parameters that name a file (libpq's; `sslrootcert=system` names the system store). */
const URL_PATH_PARAM = /([?&](?:sslrootcert|sslcert|sslkey)=)([^&#]*)/g;
const URL_SETTINGS: readonly (readonly [section: string, key: string])[] = [
  ['postgres', 'url'],
  ['postgres', 'poolerUrl'],
  ['postgres', 'poolerAdminUrl'],
];

/**
 * Relative paths written in a targets file are relative to that file, as in every config file people know
 * (tsconfig, docker-compose), not to wherever prodcheck happens to be run from. Settings left out keep their
 * defaults (repo.path: the working directory).
 */
function anchorPaths(resolved: unknown, dir: string): unknown {
  if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) return resolved;
  const root = resolved as Record<string, unknown>;
  const section = (name: string) => {
    const v = root[name];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  };
  for (const [name, key] of PATH_SETTINGS) {
    const s = section(name);
    const v = s?.[key];
    if (s && typeof v === 'string' && v !== '' && !isAbsolute(v)) s[key] = resolvePath(dir, v);
  }
  for (const [name, key] of URL_SETTINGS) {
    const s = section(name);
    const v = s?.[key];
    if (!s || typeof v !== 'string') continue;
    // Only the parameter's value is rewritten: the rest of the string (its password above all) stays as written.
    s[key] = v.replace(URL_PATH_PARAM, (whole, lead: string, raw: string) => {
      const p = safeDecode(raw);
      return p === '' || p === 'system' || isAbsolute(p) ? whole : `${lead}${encodeURIComponent(resolvePath(dir, p)).replace(/%2F/gi, '/')}`;
    });
  }
  return resolved;
}

/** What a path setting must name, for messages. */
const PATH_KIND: Readonly<Record<string, string>> = {
  caFile: 'the CA certificate (PEM) the server\'s certificate chains to',
  path: 'the git checkout to check',
  sslrootcert: 'the CA certificate (PEM) of the database server',
  sslcert: 'the client certificate (PEM)',
  sslkey: 'the client key (PEM)',
};

/**
 * Every file or directory a targets file names must be there and readable before anything runs: found
 * later, a missing CA file or repository read as "spawn git ENOENT" or a TLS error, mid-run.
 */
function pathProblems(t: Targets): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (where: string, path: string, want: 'file' | 'directory', kind: string) => {
    const fix = `set it to ${kind}, absolute or relative to the targets file`;
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ path: where, message: code === 'ENOENT' || code === 'ENOTDIR' ? `names ${path}, which does not exist: ${fix}` : `names ${path}, which cannot be read (${code ?? String(e)}): ${fix}` });
      return;
    }
    if (want === 'directory' ? !st.isDirectory() : !st.isFile()) {
      problems.push({ path: where, message: `names ${path}, which is not a ${want}: ${fix}` });
      return;
    }
    try {
      accessSync(path, want === 'directory' ? fsConstants.R_OK | fsConstants.X_OK : fsConstants.R_OK);
    } catch (e) {
      problems.push({ path: where, message: `names ${path}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}): ${fix}, or let prodcheck's user read it` });
    }
  };
  for (const [name, key] of PATH_SETTINGS) {
    const section = (t as Record<string, Record<string, unknown> | undefined>)[name];
    const v = section?.[key];
    // repo.path's default is the working directory, which is there.
    if (typeof v === 'string' && !(name === 'repo' && v === '.')) check(`${name}.${key}`, v, key === 'path' ? 'directory' : 'file', PATH_KIND[key] ?? 'a file');
  }
  for (const [name, key] of URL_SETTINGS) {
    const v = (t as Record<string, Record<string, unknown> | undefined>)[name]?.[key];
    if (typeof v !== 'string') continue;
    for (const m of v.matchAll(URL_PATH_PARAM)) {
      const param = (m[1] ?? '').slice(1, -1);
      const p = safeDecode(m[2] ?? '');
      if (p !== '' && p !== 'system') check(`${name}.${key} (${param})`, p, 'file', PATH_KIND[param] ?? 'a file');
    }
  }
  return problems;
}

function lookupOutput(outputs: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  // An output may itself be named with dots (`stripe.price.pro`); otherwise the dots walk into an object output.
  if (outputs && Object.hasOwn(outputs, name)) return outputs[name];
  let cur: unknown = outputs;
  for (const part of name.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function missingRef(kind: string, name: string, haveOutputs: boolean): string {
  if (kind === 'env') return `references \${env:${name}}, but the environment variable ${name} is not set: export it before running`;
  return haveOutputs
    ? `references \${output:${name}}, but the outputs file has no output "${name}": check \`pulumi stack output\``
    : `references \${output:${name}}, but no outputs were given: pass --outputs FILE from \`pulumi stack output --json --show-secrets\``;
}

/**
 * The credentials in a connection URL: the password of postgres://user:pass@host/db, a secret-named query
 * parameter (`?password=`, `?token=`), and for Redis a lone user part (redis://SECRET@host is sent as AUTH).
 */
export function urlSecrets(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) return [];
  const u = new URL(value);
  const out: string[] = [];
  const both = (raw: string) => out.push(raw, safeDecode(raw));
  if (u.password) both(u.password);
  else if (u.username && /^rediss?:$/.test(u.protocol)) both(u.username);
  for (const [k, v] of u.searchParams) if (SECRET_KEY.test(k) && v) out.push(v, encodeURIComponent(v));
  return [...new Set(out)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
