import { z } from 'zod';

/** What fill needs of a result in the verify JSON report (DESIGN.md, version 1). */
export interface ReportedResult {
  readonly control: string;
  readonly status: 'pass' | 'fail' | 'error' | 'skip' | 'waived';
  readonly message: string;
  readonly resource?: string;
  /** What the check required: an item's threshold or value must be this to be backed by the result. */
  readonly expected?: string;
}

export interface ReportProblem {
  readonly path: string;
  readonly message: string;
}

const HOW = 'write one with `prodcheck verify --format json --out results.json`';

// Only the fields fill reads are checked, so a report with more fields (newer prodcheck, gate) still reads.
const reportSchema = z.object({
  version: z.literal(1),
  results: z.array(
    z.object({
      control: z.string().min(1),
      status: z.enum(['pass', 'fail', 'error', 'skip', 'waived']),
      message: z.string(),
      resource: z.string().optional(),
      expected: z.string().optional(),
    }),
  ),
});

/** The results of a prodcheck JSON report (version 1), or every reason the text is not one. */
export function readResultsReport(text: string): { ok: true; results: ReportedResult[] } | { ok: false; problems: ReportProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `is not JSON (${(e as Error).message}): ${HOW}` }] };
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { results?: unknown }).results)) {
    return { ok: false, problems: [{ path: '', message: `is not a prodcheck JSON report (no "results" list): ${HOW}` }] };
  }
  const version = (raw as { version?: unknown }).version;
  if (version !== 1) return { ok: false, problems: [{ path: 'version', message: `is ${JSON.stringify(version ?? null)}, and this prodcheck reads report version 1: ${HOW}` }] };
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        path: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n === 0 ? '' : '.'}${String(p)}`)).join(''),
        message: i.code === 'invalid_value' ? `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}` : i.message,
      })),
    };
  }
  return {
    ok: true,
    results: parsed.data.results.map((r) => ({
      control: r.control,
      status: r.status,
      message: r.message,
      ...(r.resource !== undefined && { resource: r.resource }),
      ...(r.expected !== undefined && { expected: r.expected }),
    })),
  };
}
