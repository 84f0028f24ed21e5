import { describe, expect, it } from 'vitest';
import { renderConsole } from '../../../report/formats/console.js';
import { FORMATS, createProgress, isFormat, render, type Format } from '../../../report/formats/index.js';
import { renderJson } from '../../../report/formats/json.js';
import { LEAKY, REPORT, SECRET, SECRET_CORES, STRIPE_KEY, UNREGISTERED_CORES, WEBHOOK_SECRET, redactor, source } from './fixture.js';

const LEAKS = [...SECRET_CORES, ...UNREGISTERED_CORES];

describe('render', () => {
  it('knows the seven formats of the CLI', () => {
    expect(FORMATS).toEqual(['console', 'json', 'junit', 'md', 'sarif', 'github', 'html']);
    expect(['json', 'sarif', 'html', 'JSON', 'xml'].map(isFormat)).toEqual([true, true, true, false, false]);
  });

  it('hands a clean report to the format unchanged', () => {
    expect(render('json', REPORT, { redactor: redactor() })).toBe(renderJson(REPORT));
    expect(render('console', REPORT, { redactor: redactor(), title: 'prodcheck gate' })).toBe(renderConsole(REPORT, { redactor: redactor(), title: 'prodcheck gate' }));
  });

  it('the fixture really plants the secrets where a format would print them', () => {
    const raw = renderJson(LEAKY);
    for (const leak of [SECRET_CORES[0]!, ...UNREGISTERED_CORES]) expect(raw).toContain(leak);
    expect(JSON.stringify(LEAKY)).toContain(JSON.stringify(SECRET).slice(1, -1));
    expect(JSON.stringify(LEAKY)).toContain(STRIPE_KEY);
    expect(JSON.stringify(LEAKY)).toContain(WEBHOOK_SECRET);
  });

  describe.each(FORMATS)('%s', (format: Format) => {
    const opts = { redactor: redactor(), source: source('Pulumi.prod.yaml'), color: true, selection: 'all controls' };

    it('prints no registered secret in message, evidence, resource or waiver, whatever the escaping', () => {
      const text = render(format, LEAKY, opts);
      for (const core of SECRET_CORES) expect(text).not.toContain(core);
      expect(text).toContain('REDACTED');
    });

    it('prints no unregistered Stripe key or webhook secret', () => {
      const text = render(format, LEAKY, opts);
      for (const core of UNREGISTERED_CORES) expect(text).not.toContain(core);
      expect(text).not.toMatch(/sk_live_[A-Za-z0-9]|whsec_[A-Za-z0-9]/);
    });

    it('redacts what the options add: a secret in the title, config path or selection', () => {
      const text = render(format, LEAKY, { ...opts, title: `prodcheck ${SECRET}`, source: source(`${SECRET}/Pulumi.prod.yaml`), selection: `only ${SECRET}` });
      for (const leak of LEAKS) expect(text).not.toContain(leak);
    });
  });

  it('keeps live progress free of secrets on a TTY and off it', () => {
    for (const isTTY of [true, false]) {
      const out: string[] = [];
      const progress = createProgress({ write: (t) => out.push(t), isTTY, color: true, redactor: redactor() });
      progress.onResults(LEAKY.results);
      progress.finish(LEAKY);
      const text = out.join('');
      expect(text).toContain('REDACTED');
      for (const leak of LEAKS) expect(text).not.toContain(leak);
    }
  });
});
