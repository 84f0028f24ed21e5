import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIo } from '../helpers/io.js';

describe('prodcheck CLI', () => {
  it('prints an overview with every command for --help, exit 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['controls', 'verify', 'gate', 'drift', 'sandbox', 'checklist']) expect(io.out()).toContain(`  ${name} `);
  });

  it('prints each command usage for <command> --help', async () => {
    const io = captureIo();
    expect(await main(['verify', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^prodcheck verify \(-s\|--stack\) NAME \| --config FILE --targets FILE \[--outputs FILE\]/);
    expect(io.out()).toContain('  --targets FILE   required: where the live systems are');
  });

  it('prodcheck help <command> prints that command usage; an unknown one is exit 2', async () => {
    const a = captureIo();
    expect(await main(['help', 'drift'], a)).toBe(0);
    expect(a.out()).toMatch(/^prodcheck drift \(-s\|--stack\) NAME \| --config FILE --targets FILE --baseline FILE \[--update-baseline\]/);
    const b = captureIo();
    expect(await main(['help', 'drfit'], b)).toBe(2);
    expect(b.err()).toBe('prodcheck: unknown command "drfit". Commands: controls, verify, gate, drift, sandbox, checklist. See prodcheck --help.\n');
  });

  it.each([['-s', 'prod'], ['--stack', 'acme/prod'], ['-s', 'acme/prodcheck/prod']])('%s %s reads ./Pulumi.prod.yaml (Pulumi stack names, short and fully qualified)', async (flag, stack) => {
    const io = captureIo({}, '/nonexistent-dir');
    expect(await main(['verify', flag, stack, '--targets', 't.yaml'], io)).toBe(2);
    expect(io.err()).toContain('/nonexistent-dir/Pulumi.prod.yaml: 1 problem:\n  - cannot read the stack config (ENOENT)');
  });

  it('refuses a stack name Pulumi would not take, exit 2', async () => {
    const io = captureIo();
    expect(await main(['gate', '-s', 'a/b/c/d'], io)).toBe(2);
    expect(io.err()).toBe(
      'prodcheck gate: --stack "a/b/c/d" is not a stack name: pass NAME, ORG/NAME or ORG/PROJECT/NAME (letters, digits, _ . -); NAME picks ./Pulumi.NAME.yaml\n',
    );
  });

  it('refuses an unknown command or option with exit 2', async () => {
    const a = captureIo();
    expect(await main(['verfy'], a)).toBe(2);
    expect(a.err()).toBe('prodcheck: unknown command "verfy". Commands: controls, verify, gate, drift, sandbox, checklist. See prodcheck --help.\n');
    const b = captureIo();
    expect(await main(['controls', '--colour'], b)).toBe(2);
    expect(b.err()).toBe('prodcheck controls: unknown option --colour\nUsage: prodcheck controls [--format table|json|md]\n');
  });

  it('lists the 134 controls as JSON with coverage per stage', async () => {
    const io = captureIo();
    expect(await main(['controls', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { count: number; controls: { id: string; stages: string[]; coverage: Record<string, boolean> }[] };
    expect(report.count).toBe(134);
    expect(report.controls).toHaveLength(134);
    const tls = report.controls.find((c) => c.id === 'redis.tls');
    expect(Object.keys(tls?.coverage ?? {})).toEqual(tls?.stages);
  });

  it('renders the catalogue as a table and as Markdown', async () => {
    const t = captureIo();
    expect(await main(['controls'], t)).toBe(0);
    expect(t.out()).toMatch(/^CONTROL\s+SEVERITY {2}P G V D A {2}TITLE\n/);
    expect(t.out()).toMatch(/134 controls\. Implemented\/required per stage: P \d+\/77 {3}G \d+\/37 {3}V \d+\/126 {3}D \d+\/99 {3}A \d+\/5/);
    const m = captureIo();
    expect(await main(['controls', '--format', 'md'], m)).toBe(0);
    expect(m.out()).toContain('| control | severity | P | G | V | D | A | title |');
  });

  it('rejects an unknown --format with exit 2', async () => {
    const io = captureIo();
    expect(await main(['controls', '--format', 'xml'], io)).toBe(2);
    expect(io.err()).toBe('prodcheck controls: --format must be one of table, json, md (found "xml")\n');
  });
});
