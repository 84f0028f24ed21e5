import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killedAll, trackGroup, trackScratch } from '../children.js';
import type { Probe } from '../types.js';
import type { VitalsRun } from './snapshot.js';

/** Where a browser is looked for when neither targets perf.chromePath nor $CHROME_PATH names one. */
export const BROWSER_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'] as const;

/** No browser to run Lighthouse in: says where it looked and how to get one. */
export class BrowserMissingError extends Error {
  override readonly name = 'BrowserMissingError';
}

/** The browser to launch: targets perf.chromePath, else $CHROME_PATH, else the first of BROWSER_CANDIDATES that exists. */
export function findBrowser(configured: string | undefined, env: NodeJS.ProcessEnv, exists: (p: string) => boolean = existsSync): string {
  const install = 'install Chromium (Debian/Ubuntu: apt-get install chromium) or point targets perf.chromePath (or $CHROME_PATH) at Chrome or Chromium';
  if (configured !== undefined) {
    if (exists(configured)) return configured;
    throw new BrowserMissingError(`targets perf.chromePath ${configured} does not exist: ${install}`);
  }
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (exists(fromEnv)) return fromEnv;
    throw new BrowserMissingError(`$CHROME_PATH ${fromEnv} does not exist: ${install}`);
  }
  const found = BROWSER_CANDIDATES.find(exists);
  if (found) return found;
  throw new BrowserMissingError(`no Chrome or Chromium found (looked at ${BROWSER_CANDIDATES.join(', ')}): ${install}`);
}

export interface LighthouseOptions {
  readonly chromePath: string;
  /** Chromium flags beyond the headless defaults: host mapping, certificate handling. */
  readonly extraFlags: readonly string[];
  readonly formFactor: 'desktop' | 'mobile';
  readonly pageTimeoutMs: number;
  readonly signal: AbortSignal;
}

/** chrome-launcher polls the DevTools port every 500 ms by default: a browser ready after 0.25 s waited another 0.25 s for nothing. Same 25 s bound. */
const PORT_POLL = { connectionPollInterval: 50, maxConnectionRetries: 500 } as const;

interface Browser {
  readonly port: number;
  /** Settles once the browser has gone and its scratch TMPDIR is removed. */
  kill(): Promise<void>;
}

/**
 * One headless Chromium, driven by Lighthouse one run at a time. Lighthouse and chrome-launcher are imported
 * here, on first use: they are large, and only a stack with perf.webVitals ever needs them.
 */
export class LighthouseRunner {
  private browser: Browser | undefined;
  /** Browsers killed and not yet cleaned up (a run given up on kills its browser; the next run starts another). */
  private readonly closing: Promise<void>[] = [];

  constructor(private readonly opts: LighthouseOptions) {}

  private async launch(): Promise<Browser> {
    if (this.browser) return this.browser;
    const { launch } = await import('chrome-launcher');
    if (killedAll()) throw new Error('prodcheck is stopping: no browser is started');
    const flags = ['--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...this.opts.extraFlags];
    // Chromium leaves a directory of its own (org.chromium.Chromium.*) in TMPDIR after every run: it gets a
    // private TMPDIR, removed with the browser, so nothing is left in the user's. Its profile goes there too
    // (chrome-launcher would make it in our TMPDIR and remove it only when it kills the browser itself).
    const scratch = mkdtempSync(join(tmpdir(), 'prodcheck-chromium-'));
    const profile = join(scratch, 'profile');
    const removeNow = () => rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    // Removed by the interrupt handler should the run be stopped before the browser is closed.
    const untrack = trackScratch(removeNow);
    const removeScratch = () => {
      untrack();
      removeNow();
    };
    try {
      mkdirSync(profile);
      const chrome = await launch({ chromePath: this.opts.chromePath, chromeFlags: flags, logLevel: 'silent', handleSIGINT: false, envVars: { ...process.env, TMPDIR: scratch }, userDataDir: profile, ...PORT_POLL });
      // Launched detached, it leads its own process group: an interrupted run (SIGINT/SIGTERM) kills the whole
      // browser, and one whose launch ended after the run was stopped is killed here, by trackGroup.
      trackGroup(chrome.process);
      this.browser = {
        port: chrome.port,
        kill: () => {
          const exited = chrome.process.exitCode !== null || chrome.process.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => chrome.process.once('exit', () => resolve()));
          chrome.kill();
          // Removed once the browser has gone (it writes until then), at the latest after 2 s.
          return Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]).then(removeScratch);
        },
      };
    } catch (e) {
      removeScratch();
      throw e;
    }
    return this.browser;
  }

  /** One Lighthouse performance run of `url`; a run past `timeoutMs` kills the browser (a fresh one serves the next). */
  async run(url: string, timeoutMs = this.opts.pageTimeoutMs): Promise<Probe<VitalsRun>> {
    try {
      const [{ default: lighthouse, desktopConfig }, browser] = await Promise.all([import('lighthouse'), this.launch()]);
      const flags = {
        port: browser.port,
        output: 'json' as const,
        logLevel: 'silent' as const,
        onlyCategories: ['performance'],
        // The screenshots are for people reading a Lighthouse report; no figure depends on them, and they cost seconds.
        disableFullPageScreenshot: true,
        skipAudits: ['screenshot-thumbnails', 'final-screenshot'],
        maxWaitForLoad: Math.max(1_000, timeoutMs - 5_000),
        maxWaitForFcp: Math.max(1_000, Math.min(timeoutMs - 5_000, 30_000)),
      };
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Lighthouse did not finish ${url} within ${timeoutMs} ms`)), timeoutMs);
        onAbort = () => reject(new Error('the run gave up on the perf target'));
        this.opts.signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const running = lighthouse(url, flags, this.opts.formFactor === 'desktop' ? desktopConfig : undefined);
        // Given up on, the run still settles later (the browser is killed under it): that must not crash the process.
        running.catch(() => undefined);
        const result = await Promise.race([running, gaveUp]);
        return readRun(result?.lhr);
      } catch (e) {
        this.kill();
        throw e;
      } finally {
        clearTimeout(timer);
        if (onAbort) this.opts.signal.removeEventListener('abort', onAbort);
      }
    } catch (e) {
      return { ok: false, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'Lighthouse failed' };
    }
  }

  private kill(): void {
    if (this.browser) this.closing.push(this.browser.kill());
    this.browser = undefined;
  }

  /** Kills the browser and waits until every browser this runner started is gone and its files removed. */
  async close(): Promise<void> {
    this.kill();
    await Promise.all(this.closing);
  }
}

interface Lhr {
  readonly runtimeError?: { readonly code?: string; readonly message?: string };
  readonly categories: Record<string, { readonly score: number | null } | undefined>;
  readonly audits: Record<string, { readonly numericValue?: number } | undefined>;
}

/** The figures of one Lighthouse result; a run that reported an error or lacks a figure is an error, never a zero. */
export function readRun(lhr: Lhr | undefined): Probe<VitalsRun> {
  if (!lhr) return { ok: false, error: 'Lighthouse returned no result' };
  if (lhr.runtimeError) return { ok: false, error: `Lighthouse: ${lhr.runtimeError.code ?? 'error'} (${lhr.runtimeError.message ?? 'no detail'})` };
  const score = lhr.categories.performance?.score;
  const metric = (id: string) => lhr.audits[id]?.numericValue;
  const lcpMs = metric('largest-contentful-paint');
  const cls = metric('cumulative-layout-shift');
  const tbtMs = metric('total-blocking-time');
  const fcpMs = metric('first-contentful-paint');
  const ttiMs = metric('interactive');
  const missing = Object.entries({ 'performance score': score, LCP: lcpMs, CLS: cls, TBT: tbtMs, FCP: fcpMs })
    .filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v))
    .map(([k]) => k);
  if (missing.length > 0 || score == null || lcpMs === undefined || cls === undefined || tbtMs === undefined || fcpMs === undefined) {
    return { ok: false, error: `Lighthouse reported no ${missing.join(', ')}` };
  }
  return { ok: true, value: { score, lcpMs, cls, tbtMs, fcpMs, ...(typeof ttiMs === 'number' && Number.isFinite(ttiMs) ? { ttiMs } : {}) } };
}
