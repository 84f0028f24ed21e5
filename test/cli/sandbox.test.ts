import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { Report } from '../../report/types.js';
import { captureIo } from '../helpers/io.js';

describe('prodcheck sandbox', () => {
  it('prints the report and the profile checklist filled in from the run, exit 0 (npm start)', async () => {
    const io = captureIo();
    expect(await main(['sandbox'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+ passed, 0 failed, 0 errors, \d+ skipped, 0 waived$/m);
    expect(io.out()).toContain('examples/checklists/default.md, filled in from this run');
    expect(io.out()).toContain('- [x] Set up Redis persistence (AOF or RDB)');
    expect(io.out()).toMatch(/^\d+ \/ 149 items checked \(\d+ automated\)$/m);
  });

  it('--break X --format json shows X as the only failure, exit 0', async () => {
    const io = captureIo();
    expect(await main(['sandbox', '--break', 'stripe.webhook.events', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as Report;
    expect(report.results.filter((r) => r.status === 'fail').map((r) => r.control)).toEqual(['stripe.webhook.events']);
    expect(report.summary.error).toBe(0);
    expect(io.err()).toContain('Exactly the planted faults failed: the sandbox exits 0.');
  });

  it('refuses a Stripe fault the profile cannot carry as bad input (exit 2)', async () => {
    const io = captureIo();
    expect(await main(['sandbox', '--break', 'stripe.tax-rates'], io)).toBe(2);
    expect(io.err()).toContain('prodcheck sandbox: --break stripe.tax-rates: stripe.tax-rates: cannot plant a fault: ');
  });
});
