/**
 * What an item names exactly — an env var, table, event, route, URL, amount or threshold — so that a tick
 * rests only on a result that judged that very thing: "`/healthz` returns 200" is not backed by a result
 * for `/api/health`, "latency under 10ms" not by a check against a 100 ms budget.
 */
export type IdentityKind = 'name' | 'route' | 'url' | 'amount' | 'threshold';

export interface Identity {
  readonly kind: IdentityKind;
  /** As written in the item, for messages. */
  readonly text: string;
  /** Compared with what results carry: lower-case name, path, URL, or a number in base units. */
  readonly key: string;
}

/** What fill reads of a result to tell what it judged. */
export interface Judged {
  readonly message: string;
  readonly resource?: string;
  readonly expected?: string;
}

/**
 * A name or value in code (`users`, `User.email`, `NODE_ENV=production`, `payment_intent.succeeded`,
 * `allkeys-lru`, `sk_live_...`), not a command (spaces) or a path; or a bare ENV_VAR_NAME.
 */
const CODE_NAME = /`(\.?[A-Za-z_][\w.-]*?)(?:\.{2,}|…)?(?:=[^`\s]*)?`/g;
const ENV_NAME = /(?<![\w`])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w`])/g;
/** A path standing alone (after a space, backtick or parenthesis): not "$97/month" or "requests/10 minutes". */
const ROUTE = /(?<=^|[\s`(])(\/[A-Za-z0-9_\-.:[\]*{}]+(?:\/[A-Za-z0-9_\-.:[\]*{}]*)*)/g;
const URL_RE = /\bhttps?:\/\/[^\s`)>\]]+/g;
const AMOUNT = /(?:\$|€|£)\s?(\d+(?:[.,]\d{1,2})?)/g;
/**
 * The stand-in hosts of checklist templates ("https://yourdomain.com/pricing", "your-app.vercel.app",
 * example.com): they mean the stack's own site, so such a URL names its path there. Any other host
 * (a status page, a dashboard, api.yourapp.com) is a URL of its own.
 */
const PLACEHOLDER_HOST = /^(?:www\.)?(?:your-?(?:domain|app|site)\.(?:com|vercel\.app)|example\.(?:com|org|net))$/i;

const UNITS: Record<string, [dimension: string, factor: number]> = {
  ms: ['time', 1], millisecond: ['time', 1], milliseconds: ['time', 1],
  s: ['time', 1000], sec: ['time', 1000], secs: ['time', 1000], second: ['time', 1000], seconds: ['time', 1000],
  min: ['time', 60_000], mins: ['time', 60_000], minute: ['time', 60_000], minutes: ['time', 60_000],
  h: ['time', 3_600_000], hr: ['time', 3_600_000], hrs: ['time', 3_600_000], hour: ['time', 3_600_000], hours: ['time', 3_600_000],
  d: ['time', 86_400_000], day: ['time', 86_400_000], days: ['time', 86_400_000],
  '%': ['ratio', 1], percent: ['ratio', 1],
  kb: ['bytes', 1e3], mb: ['bytes', 1e6], gb: ['bytes', 1e9],
  char: ['chars', 1], chars: ['chars', 1], character: ['chars', 1], characters: ['chars', 1],
};
// Longest first, so "ms" is read before "m…" and "minutes" before "min".
const UNIT = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const COMPARATOR = String.raw`(?:at least|at most|no more than|more than|less than|fewer than|up to|under|below|over|above|within|minimum(?: of)?|maximum(?: of)?|max|min|[<>]=?|≤|≥)`;
/** A number with a unit ("10ms", "99.9%", "24 hours"), or a bare number after a comparator ("at least 2 models"). */
// A number starts where no digit or decimal point precedes it: from inside a run of digits nothing is tried
// again, which keeps a line of digits linear (it was quadratic).
const THRESHOLD = new RegExp(String.raw`(?:(${COMPARATOR})\s*)?~?(?<![\d.])(\d+(?:\.\d+)?)(?:\s*|-)(${UNIT})(?![A-Za-z])|(${COMPARATOR})\s*(?<![\d.])(\d+(?:\.\d+)?)(?![\d.%])`, 'gi');

function thresholdKey(value: string, unit: string | undefined): string {
  const n = Number(value);
  const u = unit ? UNITS[unit.toLowerCase()] : undefined;
  return u ? `${u[0]}:${n * u[1]}` : `count:${n}`;
}

/**
 * A Markdown link: its text cannot hold a bracket nor its target a parenthesis, so each scan stops at the
 * next one (`[^\]]*` and `[^)]*` ran to the end of the line from every `[`: quadratic on "[a](" repeated).
 */
export const LINK = /!?\[([^[\]]*)\]\(([^()]*)\)/g;

/** Beyond this many names, routes and thresholds an item is not one claim: fill leaves it to a person. */
export const MAX_IDENTITIES = 100;

/** Every identity the item's text names. */
export function identities(markdown: string): Identity[] {
  // A link's target is where to read more, not a claim: "[gitleaks](https://…) clean" names no URL.
  const text = markdown.replace(LINK, '$1');
  const found: Identity[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentityKind, shown: string, key: string) => {
    if (seen.has(`${kind} ${key}`)) return;
    seen.add(`${kind} ${key}`);
    found.push({ kind, text: shown, key });
  };
  const urls = [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:]+$/, ''));
  for (const u of urls) {
    const site = placeholderPath(u);
    if (site !== undefined) add('route', u, site);
    else add('url', u, u.toLowerCase().replace(/\/$/, ''));
  }
  const withoutUrls = text.replace(URL_RE, ' ');
  for (const m of withoutUrls.matchAll(CODE_NAME)) if (m[1]) add('name', m[1], m[1].toLowerCase());
  for (const m of withoutUrls.matchAll(ENV_NAME)) if (m[1]) add('name', m[1], m[1].toLowerCase());
  for (const m of withoutUrls.matchAll(ROUTE)) if (m[1] && m[1].length > 1) add('route', m[1], m[1].toLowerCase().replace(/\/$/, ''));
  for (const m of withoutUrls.matchAll(AMOUNT)) if (m[1]) add('amount', m[0], `amount:${Number(m[1].replace(',', '.'))}`);
  const withoutAmounts = withoutUrls.replace(AMOUNT, ' ');
  for (const m of withoutAmounts.matchAll(THRESHOLD)) {
    const [whole, , value, unit, , bare] = m;
    if (value !== undefined) add('threshold', whole.trim(), thresholdKey(value, unit));
    else if (bare !== undefined) add('threshold', whole.trim(), thresholdKey(bare, undefined));
  }
  return found;
}

/** The path ("/" for none) of a URL on a template's stand-in host; undefined for any other URL. */
function placeholderPath(u: string): string | undefined {
  if (!URL.canParse(u)) return undefined;
  const url = new URL(u);
  if (!PLACEHOLDER_HOST.test(url.hostname) || url.search !== '' || url.hash !== '') return undefined;
  return url.pathname.toLowerCase().replace(/(.)\/$/, '$1');
}

function words(s: string): Set<string> {
  return new Set(s.toLowerCase().split(/[^a-z0-9_]+/).filter(Boolean));
}

/** The thresholds and amounts a result was judged against: its expected value, else the bounds its message states. */
function bounds(r: Judged): Set<string> {
  const source = r.expected ?? [...r.message.matchAll(new RegExp(String.raw`${COMPARATOR}\s*[^,;()]*`, 'gi'))].map((m) => m[0]).join(' ');
  const keys = new Set<string>();
  for (const m of source.matchAll(THRESHOLD)) {
    const [, , value, unit, , bare] = m;
    if (value !== undefined) keys.add(thresholdKey(value, unit));
    else if (bare !== undefined) keys.add(thresholdKey(bare, undefined));
  }
  for (const m of source.matchAll(/(?<![\w.])(\d+(?:\.\d{1,2})?)(?![\w.])/g)) if (m[1]) keys.add(`amount:${Number(m[1])}`);
  return keys;
}

/** Whether a result judged the identity: it names it as its resource, or states it in what it expected or found. */
export function judgedBy(id: Identity, r: Judged): 'resource' | 'text' | false {
  const all = `${r.resource ?? ''} ${r.expected ?? ''} ${r.message}`;
  switch (id.kind) {
    case 'name': {
      // "`users`" names public.users: every word of the resource but the schema.
      const resourceWords = [...words(r.resource ?? '')].filter((w) => w !== 'public');
      const itemWords = words(id.key);
      if (resourceWords.length > 0 && [...itemWords].every((w) => resourceWords.includes(w)) && resourceWords.every((w) => itemWords.has(w))) return 'resource';
      return new RegExp(String.raw`(?<![\w.])${escape(id.key)}(?![\w])`, 'i').test(all) ? 'text' : false;
    }
    case 'route': {
      const resource = (r.resource ?? '').toLowerCase();
      if ((resource === '/' ? resource : resource.replace(/\/$/, '')) === id.key) return 'resource';
      // The site's root is named only as a resource: a bare "/" in a message is no claim about it.
      if (id.key === '/') return false;
      // Standing alone ("GET /pricing") or as the path of a URL ("https://app.example/pricing").
      return new RegExp(String.raw`(?:(?<![\w/])|(?<=\bhttps?://[^\s/]+))${escape(id.key)}/?(?![\w/-])`, 'i').test(all) ? 'text' : false;
    }
    case 'url':
      return all.toLowerCase().includes(id.key) ? 'text' : false;
    case 'amount':
    case 'threshold':
      return bounds(r).has(id.key) ? 'text' : false;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
