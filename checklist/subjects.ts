/**
 * Items about one CI gate ("All tests passing", "No TypeScript errors", "Linting passed", "Build
 * succeeds") share the control ci.checks-passing, whose results are one per required check. Such an item
 * is judged only by the checks that run that gate: a green `lint` does not tick "All tests passing",
 * and a red `test` does not cross out "Linting passed".
 */
interface Subject {
  /** What the item is about. */
  readonly item: RegExp;
  /** The check names (results' resources) that run it. */
  readonly check: RegExp;
  readonly what: string;
}

const CI_SUBJECTS: readonly Subject[] = [
  { item: /\btests?\b|\btesting\b|\be2e\b|\bspecs?\b/i, check: /test|e2e|spec|jest|vitest|playwright|cypress/i, what: 'tests' },
  { item: /\btypescript\b|\btype[- ]?check|\btype errors?\b|\btsc\b/i, check: /type|tsc/i, what: 'type checking' },
  { item: /\blint(?:s|ing|er|ed)?\b|\beslint\b/i, check: /lint/i, what: 'linting' },
  { item: /\bbuilds?\b|\bbuilt\b/i, check: /build|compile/i, what: 'the build' },
];

/**
 * Items about alerting ("Error rate > 10%", "Response time > 5s (p95)", "Database unreachable") each name
 * the condition an alert watches; monitoring.alerts has one result per condition the stack lists
 * (new-issue, error-rate, latency). An item is judged by the rules for its condition only, and an item
 * naming a condition prodcheck does not watch ("Database unreachable", "Cache hit rate < 50%") by none.
 */
const ALERT_SUBJECTS: readonly Subject[] = [
  { item: /\berror[- ]rates?\b|\berror spikes?\b|\bfailure rates?\b|\b5xx\b/i, check: /^error-rate\b/, what: 'the error rate' },
  { item: /\bresponse times?\b|\blatency\b|\bslow\b|\bp9[059]\b/i, check: /^latency\b/, what: 'slow responses' },
  { item: /\bnew (?:issues?|errors?)\b|\bfirst[- ]seen\b|\bexceptions?\b|\bapplication errors?\b/i, check: /^new-issue\b/, what: 'new issues' },
];
/** An item about alerting as a whole ("Alerts are configured correctly", "Create alerts for:"). */
const ANY_ALERT = /^(?:set up |configure |create |add )?(?:monitoring |the )?(?:alert(?:s|ing)?|alert thresholds|alert rules)(?: (?:are|is))?(?: (?:configured|set up|in place|enabled|created))?(?: correctly)?(?: for)?\s*:?$/i;

/**
 * Items about one kind of metric ("Redis metrics are monitored", "API response times are tracked") are judged
 * by the series of that kind: monitoring.metrics has one result per named series of prodcheck:datadog.metrics,
 * and a flowing database series says nothing of Redis. Items naming no kind ("Custom metrics are defined")
 * are judged by every series.
 */
const METRIC_SUBJECTS: readonly Subject[] = [
  { item: /\bdatabases?\b|\bdb\b|\bpostgres(?:ql)?\b|\bqueries\b/i, check: /\b(?:db|database|postgres(?:ql)?|pg|supabase|neon)\b/i, what: 'database metrics' },
  { item: /\bredis\b|\bcache\b|\bkv\b/i, check: /\b(?:redis|cache|kv|upstash)\b/i, what: 'Redis metrics' },
  { item: /\bresponse times?\b|\blatency\b|\bp9[059]\b/i, check: /\b(?:latency|response[ _-]?times?|duration|p9[059])\b/i, what: 'response times' },
  { item: /\berror[- ]rates?\b|\berrors\b|\b5xx\b/i, check: /\berrors?\b|\b5xx\b/i, what: 'error rates' },
];

interface SubjectRule {
  readonly subjects: readonly Subject[];
  /** Items about the control as a whole: judged by all its results. */
  readonly whole?: RegExp;
  /** When set, an item naming none of the subjects (and not about the whole) is judged by nothing: this says what it names. */
  readonly otherwise?: string;
}

/** Controls whose results are per check or condition and whose items each name a subject. */
const SUBJECT_CONTROLS: Readonly<Record<string, SubjectRule>> = {
  'ci.checks-passing': { subjects: CI_SUBJECTS },
  'monitoring.alerts': { subjects: ALERT_SUBJECTS, whole: ANY_ALERT, otherwise: 'this alert condition' },
  'monitoring.metrics': { subjects: METRIC_SUBJECTS },
};

export interface SubjectFilter<R> {
  /** The results that judged the item's subjects (all of them when the item names none). */
  readonly results: readonly R[];
  /** Subjects the item names that no result judged. */
  readonly unjudged: readonly string[];
}

export function bySubject<R extends { readonly resource?: string }>(control: string, itemText: string, results: readonly R[]): SubjectFilter<R> {
  const rule = SUBJECT_CONTROLS[control];
  if (!rule || rule.whole?.test(itemText.trim())) return { results, unjudged: [] };
  const subjects = rule.subjects.filter((s) => s.item.test(itemText));
  if (subjects.length === 0) return rule.otherwise === undefined ? { results, unjudged: [] } : { results: [], unjudged: [rule.otherwise] };
  const judges = (s: Subject, r: R) => r.resource !== undefined && s.check.test(r.resource);
  return {
    results: results.filter((r) => subjects.some((s) => judges(s, r))),
    unjudged: subjects.filter((s) => !results.some((r) => judges(s, r))).map((s) => s.what),
  };
}
