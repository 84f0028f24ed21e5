import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../../report/formats/index.js';
import { htmlText } from '../../../report/formats/html.js';
import { remediationOf } from '../../../report/remediation.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, REPORT, redactor, source } from './fixture.js';

/** Debian's chromium (apt-get install chromium); CI installs it in .ci/run. */
const CHROMIUM = process.env.PRODCHECK_CHROMIUM ?? '/usr/bin/chromium';
const why = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PRODCHECK_CHROMIUM)`;

const HOSTILE = '<script>document.title="owned"</script><img src=x onerror=alert(1)>';
const report: Report = {
  ...REPORT,
  results: [...REPORT.results, ADVISORY_RESULT, { ...REPORT.results[9]!, control: 'http.cors', title: 'CORS', message: `CORS allows ${HOSTILE}` }],
  summary: { ...REPORT.summary, pass: REPORT.summary.pass + 1, fail: REPORT.summary.fail + 1 },
};

describe('html reporter', () => {
  it('escapes the five characters HTML gives a meaning', () => {
    expect(htmlText(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('is one file: no script, no stylesheet or image to fetch', () => {
    const html = render('html', REPORT, { redactor: redactor() });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
  });
});

describe.skipIf(why !== undefined)(`html report rendered in headless Chromium${why ? ` (skipped: ${why})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-html-'));
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];
  let file = '';

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    file = join(dir, 'report.html');
    writeFileSync(file, render('html', report, { redactor: redactor(), title: 'prodcheck verify', source: source() }));
    await page.goto(pathToFileURL(file).href);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const top = async (selector: string) => (await page.locator(selector).boundingBox())?.y ?? Number.NaN;

  it('loads nothing but itself and runs nothing a live system put in a message', async () => {
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe('prodcheck verify: prod');
    expect(await page.locator('.card', { hasText: 'CORS allows' }).locator('.message').innerText()).toBe(`CORS allows ${HOSTILE}`);
  });

  it('shows the verdict, then the failures first, each with message, expected/actual, where and how to fix', async () => {
    const verdict = page.locator('#verdict');
    expect(await verdict.innerText()).toBe('3 passed, 5 failed, 1 error, 3 skipped, 1 waived — exit 1: 5 checks failed');
    // Strings, not functions: they run in the page, and this project's TypeScript has no DOM types.
    expect(await page.evaluate("getComputedStyle(document.getElementById('verdict')).color")).toBe('rgb(180, 35, 24)');
    expect(await page.locator('#failures h2').innerText()).toBe('Failures (5)');
    // Above the fold, above everything else.
    expect(await top('#failures')).toBeLessThan(900);
    for (const later of ['#errors', '#advisories', '#by-family', '#by-severity', '#all']) expect(await top('#failures')).toBeLessThan(await top(later));
    const first = page.locator('#failures .card').first();
    expect((await first.innerText()).split('\n').filter(Boolean)).toEqual([
      'pg.rls [public.orders] high Row Level Security enabled with policies',
      'RLS must be enabled on public.orders (found disabled).',
      'Expected',
      'enabled',
      'Actual',
      'disabled',
      'Configured at',
      'infra/Pulumi.prod.yaml:46',
      `How to fix: ${remediationOf('pg.rls') ?? ''}`,
    ]);
    expect(await page.locator('#failures .card').count()).toBe(5);
    expect(await page.locator('#errors .card').innerText()).toContain('stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.');
    expect(await page.locator('#advisories .card').innerText()).toContain('advisory, not enforced: transitEncryptionEnabled must be true (found false).');
  });

  it('summarises by family and by severity', async () => {
    const rows = async (selector: string) => (await page.locator(`${selector} tr`).allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    expect(await rows('#by-family')).toEqual([
      ['', 'fail', 'error', 'waived', 'pass', 'skip'],
      ['pg', '1', '0', '1', '2', '0'],
      ['redis', '1', '0', '0', '1', '2'],
      ['stripe', '0', '1', '0', '0', '1'],
      ['http', '3', '0', '0', '0', '0'],
    ]);
    expect(await rows('#by-severity')).toEqual([
      ['', 'fail', 'error', 'waived', 'pass', 'skip'],
      ['critical', '0', '1', '0', '1', '0'],
      ['high', '2', '0', '1', '2', '0'],
      ['medium', '2', '0', '0', '0', '2'],
      ['low', '1', '0', '0', '0', '1'],
    ]);
  });

  it('fits the window: nothing runs off to the side, and the page renders to a screenshot', async () => {
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.setViewportSize({ width: 420, height: 900 });
    const wide = await page.evaluate("[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).map((el) => el.tagName)");
    expect(wide).toEqual([]);
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
