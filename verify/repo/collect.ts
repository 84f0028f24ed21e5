import { constants } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import dotenv from 'dotenv';
import { describeError } from '../net.js';
import type { Collector, Probe } from '../types.js';
import type { AuditResult } from './audit.js';
import { runAudit } from './audit.js';
import type { HistoryScan } from './history.js';
import { scanHistory } from './history.js';
import { runCommand } from './run.js';
import { probe } from '../probe.js';

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

/** A committed .env.example lists key names: far below this. A larger file is refused, not read. */
export const MAX_ENV_EXAMPLE_BYTES = 1024 * 1024;

/**
 * Reads a file of the repository the way a hostile checkout cannot abuse: no symlink out of the repo
 * (`.env.example -> /dev/zero`), nothing but a regular file (a FIFO would block), bounded, and async so the
 * target budget can still fire.
 */
export async function readRepoFile(repo: string, name: string, maxBytes: number): Promise<Buffer | null> {
  const file = join(repo, name);
  const link = await lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!link) return null;
  let target = file;
  if (link.isSymbolicLink()) {
    target = await realpath(file).catch(() => {
      throw new Error(`${name} is a symlink to nothing (dangling): commit the file itself`);
    });
    const inside = relative(await realpath(repo), target);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${name} is a symlink to ${target}, outside the repository: prodcheck does not follow it; commit the file itself`);
  }
  const info = await stat(target);
  if (!info.isFile()) throw new Error(`${name} is not a regular file (${kindOf(info)}): prodcheck reads only regular files`);
  if (info.size > maxBytes) throw new Error(`${name} is ${info.size} bytes, more than the ${maxBytes} a template of env keys can need: prodcheck does not read it`);
  // O_NONBLOCK: should the file have been swapped for a FIFO since the stat, open must not wait for a writer.
  const handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= maxBytes; length += n) n = (await handle.read(buf, length, buf.length - length, null)).bytesRead;
    if (length > maxBytes) throw new Error(`${name} grew past ${maxBytes} bytes while being read: prodcheck does not read it`);
    return buf.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

async function readEnvExample(repo: string): Promise<readonly string[] | null> {
  const text = await readRepoFile(repo, '.env.example', MAX_ENV_EXAMPLE_BYTES);
  return text === null ? null : Object.keys(dotenv.parse(text)).sort();
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
    const dir = await stat(path).catch(() => undefined);
    // git would only say "spawn git ENOENT" for a working directory that is not there.
    if (!dir?.isDirectory()) throw new Error(`the repository directory ${path} ${dir ? 'is not a directory' : 'does not exist'}: set repo.path in the targets file to a git checkout`);
    const top = await git(path, ['rev-parse', '--show-toplevel'], ctx.signal).catch((e: unknown) => ({ code: -1, stdout: '', stderr: describeError(e) }));
    if (top.code !== 0) throw new Error(`${path} is not a git repository (${top.stderr.trim().split('\n')[0] || `git exited ${top.code}`})`);
    const [history, ignore, envExample, audit] = await Promise.all([
      probe(() => scanHistory(path, { maxBytes: t.maxHistoryBytes, timeoutMs: HISTORY_TIMEOUT_MS, signal: ctx.signal, redactor: ctx.redactor })),
      probe(() => readIgnore(path, ctx.signal)),
      probe(() => readEnvExample(path)),
      (await lstat(join(path, 'package.json')).then(() => true, () => false))
        ? probe(() => runAudit(path, { ...(t.npmRegistry !== undefined ? { registry: t.npmRegistry } : {}), timeoutMs: t.auditTimeoutMs, signal: ctx.signal }))
        : Promise.resolve({ notApplicable: `${path} has no package.json: there are no npm dependencies to audit.` }),
    ]);
    return { path, history, ignore, envExample, audit };
  },
};
