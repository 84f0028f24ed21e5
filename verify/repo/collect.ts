import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import dotenv from 'dotenv';
import { describeError } from '../net.js';
import type { Collector, Probe } from '../types.js';
import type { AuditResult } from './audit.js';
import { runAudit } from './audit.js';
import type { HistoryScan } from './history.js';
import { scanHistory } from './history.js';
import { runCommand } from './run.js';

/** Env files that must never be committed, checked against .gitignore. */
export const IGNORED_ENV_FILES = ['.env', '.env.local'] as const;
/** Env files meant to be committed: they document keys without values. */
export const TEMPLATE_ENV_FILES = /^\.env\.(example|sample|template)$/;

export interface IgnoreState {
  /** File name → whether .gitignore ignores it. */
  readonly ignored: Readonly<Record<string, boolean>>;
  /** Tracked env files other than the templates. */
  readonly trackedEnvFiles: readonly string[];
}

export interface RepoSnapshot {
  readonly path: string;
  readonly history: Probe<HistoryScan>;
  readonly ignore: Probe<IgnoreState>;
  /** Keys of .env.example; null when the file does not exist. */
  readonly envExample: Probe<readonly string[] | null>;
  /** npm audit, or why it does not apply. */
  readonly audit: { readonly notApplicable: string } | Probe<AuditResult>;
}

const GIT_TIMEOUT_MS = 30_000;
/** A long history takes a while to diff; the run's own target budget bounds it too. */
const HISTORY_TIMEOUT_MS = 120_000;

async function probe<T>(run: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

async function git(repo: string, args: string[], signal: AbortSignal) {
  return runCommand('git', args, { cwd: repo, timeoutMs: GIT_TIMEOUT_MS, signal });
}

async function readIgnore(repo: string, signal: AbortSignal): Promise<IgnoreState> {
  const ignored: Record<string, boolean> = {};
  for (const name of IGNORED_ENV_FILES) {
    // --no-index asks the rules alone: a tracked .env is still reported as covered or not by .gitignore.
    const r = await git(repo, ['check-ignore', '--no-index', '-q', name], signal);
    if (r.code !== 0 && r.code !== 1) throw new Error(`git check-ignore exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
    ignored[name] = r.code === 0;
  }
  const listed = await git(repo, ['ls-files', '-z'], signal);
  if (listed.code !== 0) throw new Error(`git ls-files exited ${listed.code}: ${listed.stderr.trim().split('\n')[0]}`);
  const trackedEnvFiles = listed.stdout
    .split('\0')
    .filter((f) => /^\.env(\..+)?$/.test(basename(f)) && !TEMPLATE_ENV_FILES.test(basename(f)))
    .sort();
  return { ignored, trackedEnvFiles };
}

function readEnvExample(repo: string): readonly string[] | null {
  const file = resolve(repo, '.env.example');
  if (!existsSync(file)) return null;
  return Object.keys(dotenv.parse(readFileSync(file))).sort();
}

export const repoCollector: Collector<RepoSnapshot> = {
  target: 'repo',
  applies(_spec, targets) {
    return targets.repo ? undefined : 'No repo entry in the targets file (add `repo: {}` to check the current directory).';
  },
  async collect(ctx) {
    const t = ctx.targets.repo;
    if (!t) throw new Error('the repo family runs only when applies() found its target');
    const path = resolve(t.path);
    const top = await git(path, ['rev-parse', '--show-toplevel'], ctx.signal).catch((e: unknown) => ({ code: -1, stdout: '', stderr: describeError(e) }));
    if (top.code !== 0) throw new Error(`${path} is not a git repository (${top.stderr.trim().split('\n')[0] || `git exited ${top.code}`})`);
    const [history, ignore, envExample, audit] = await Promise.all([
      probe(() => scanHistory(path, { maxBytes: t.maxHistoryBytes, timeoutMs: HISTORY_TIMEOUT_MS, signal: ctx.signal, redactor: ctx.redactor })),
      probe(() => readIgnore(path, ctx.signal)),
      probe(async () => readEnvExample(path)),
      existsSync(resolve(path, 'package.json'))
        ? probe(() => runAudit(path, { ...(t.npmRegistry !== undefined ? { registry: t.npmRegistry } : {}), timeoutMs: t.auditTimeoutMs, signal: ctx.signal }))
        : Promise.resolve({ notApplicable: `${path} has no package.json: there are no npm dependencies to audit.` }),
    ]);
    return { path, history, ignore, envExample, audit };
  },
};
