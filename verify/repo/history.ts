import { spawn } from 'node:child_process';
import { trackChild } from '../children.js';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { SECRET_NAME } from '../../spec/schema/env.js';
import type { Redactor } from '../../report/redact.js';
import { fingerprint } from '../../report/redact.js';
import { CommandLimitError } from './run.js';

/** A secret found in history: where it was added, and its fingerprint, never the value. */
export interface SecretHit {
  /** What it is, with its article: "a Stripe live secret key". */
  readonly kind: string;
  /** The oldest commit that added it. */
  readonly commit: string;
  readonly file: string;
  readonly fingerprint: string;
}

export interface HistoryScan {
  readonly commits: number;
  readonly hits: readonly SecretHit[];
}

/** Live credential shapes; the value is the whole match, or group 1 where the name carries the context. */
const PATTERNS: readonly { readonly kind: string; readonly re: RegExp }[] = [
  { kind: 'a Stripe live secret key', re: /\bsk_live_[0-9A-Za-z]{16,}/g },
  { kind: 'a Stripe live restricted key', re: /\brk_live_[0-9A-Za-z]{16,}/g },
  { kind: 'a Stripe webhook signing secret', re: /\bwhsec_[0-9A-Za-z+/=]{16,}/g },
  { kind: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'a Vercel token', re: /\bvc[pikar]_[0-9A-Za-z_-]{20,}/g },
  { kind: 'a Vercel token', re: /\bVERCEL_(?:TOKEN|ACCESS_TOKEN|API_TOKEN)\b\s*[=:]\s*["']?([0-9A-Za-z]{24,})/g },
  { kind: 'a GitHub token', re: /\bgh[pousr]_[0-9A-Za-z]{36,}/g },
];
const PRIVATE_KEY = /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/;
/** Documentation and template values: AWS's AKIA…EXAMPLE, sk_live_xxxx, <your-key>... */
const PLACEHOLDER = /example|placeholder|your|dummy|changeme|x{6,}|0{8,}|\*{4,}|\.{3}|<|\$\{/i;
/** Env files that may be committed because they hold no values. */
const TEMPLATE_ENV = /\.(example|sample|template|dist|defaults)$/;
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** Locale-independent order, so reports list findings the same way on every machine. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const isEnvFile = (file: string) => /^\.env(\..+)?$/.test(basename(file));

function unquote(v: string): string {
  const t = v.replace(/\s+#.*$/, '').trim();
  return /^(['"`]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** Secrets on one added line, as [kind, value]. */
export function secretsInLine(file: string, line: string): [string, string][] {
  const found: [string, string][] = [];
  for (const { kind, re } of PATTERNS) {
    for (const m of line.matchAll(re)) {
      const value = m[1] ?? m[0];
      if (!PLACEHOLDER.test(value)) found.push([kind, value]);
    }
  }
  if (isEnvFile(file) && !TEMPLATE_ENV.test(file)) {
    const m = ENV_LINE.exec(line);
    const value = m?.[2] !== undefined ? unquote(m[2]) : '';
    if (m?.[1] && SECRET_NAME.test(m[1]) && value.length >= 8 && !PLACEHOLDER.test(value) && !found.some(([, v]) => v === value)) {
      found.push([`a secret in a committed env file (${m[1]})`, value]);
    }
  }
  return found;
}

/**
 * Scans every commit reachable from any ref (`git log -p --all`), added lines only, streaming and
 * bounded: a history larger than `maxBytes` is an error, since a partial scan cannot say "no secrets".
 */
export function scanHistory(repo: string, opts: { maxBytes: number; timeoutMs: number; signal: AbortSignal; redactor: Redactor }): Promise<HistoryScan> {
  const args = ['-c', 'core.quotepath=off', 'log', '-p', '--all', '--full-history', '--no-color', '--no-ext-diff', '--no-textconv', '--unified=0', '--format=%x00commit %H'];
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }));
    const hits = new Map<string, SecretHit>();
    let commits = 0;
    let commit = '';
    let file = '';
    let keyPending = false;
    let bytes = 0;
    let stderr = '';
    let failure: Error | undefined;
    const stop = (e: Error) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new CommandLimitError(`git log did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = () => stop(new CommandLimitError('git log was aborted'));
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const record = (kind: string, value: string) => {
      opts.redactor.add(value);
      const print = fingerprint(value);
      // git log lists newest first: a later line for the same secret is an older commit, the one that added it.
      hits.set(`${print} ${file}`, { kind, commit: commit.slice(0, 12), file, fingerprint: print });
    };
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    // Counted as bytes arrive, not per line: one endless line must not grow memory before it is judged.
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) stop(new CommandLimitError(`the history is larger than ${opts.maxBytes} bytes of diff (targets repo.maxHistoryBytes)`));
    });
    lines.on('line', (line) => {
      if (failure) return;
      if (line.startsWith('\0commit ')) {
        commit = line.slice(8);
        commits++;
        file = '';
        return;
      }
      if (line.startsWith('+++ ')) {
        file = line === '+++ /dev/null' ? '' : line.slice(line.startsWith('+++ b/') ? 6 : 4);
        keyPending = false;
        return;
      }
      if (!line.startsWith('+') || file === '') return;
      const added = line.slice(1);
      if (keyPending) {
        keyPending = false;
        if (added.trim()) record('a private key', added.trim());
      }
      if (PRIVATE_KEY.test(added)) keyPending = true;
      for (const [kind, value] of secretsInLine(file, added)) record(kind, value);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-2_000);
    });
    child.on('error', (e) => stop(e));
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      // An empty repository (no commit yet) is a clean history, not a failure.
      if (code !== 0 && !/does not have any commits yet|bad default revision/.test(stderr)) return reject(new Error(`git log exited ${code}: ${stderr.trim().split('\n')[0]}`));
      resolve({ commits, hits: [...hits.values()].sort((a, b) => byCodePoint(a.file, b.file) || byCodePoint(a.kind, b.kind)) });
    });
  });
}
