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

/** Controls whose results are per check and whose items each name a subject. */
const SUBJECT_CONTROLS: Readonly<Record<string, readonly Subject[]>> = { 'ci.checks-passing': CI_SUBJECTS };

export interface SubjectFilter<R> {
  /** The results that judged the item's subjects (all of them when the item names none). */
  readonly results: readonly R[];
  /** Subjects the item names that no result judged. */
  readonly unjudged: readonly string[];
}

export function bySubject<R extends { readonly resource?: string }>(control: string, itemText: string, results: readonly R[]): SubjectFilter<R> {
  const subjects = (SUBJECT_CONTROLS[control] ?? []).filter((s) => s.item.test(itemText));
  if (subjects.length === 0) return { results, unjudged: [] };
  const judges = (s: Subject, r: R) => r.resource !== undefined && s.check.test(r.resource);
  return {
    results: results.filter((r) => subjects.some((s) => judges(s, r))),
    unjudged: subjects.filter((s) => !results.some((r) => judges(s, r))).map((s) => s.what),
  };
}
