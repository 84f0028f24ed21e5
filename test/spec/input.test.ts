import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadStackFile, loadTargets } from '../../spec/index.js';
import { INPUT_LIMITS, MAX_YAML_ALIASES } from '../../spec/input.js';

// Hostile or broken input files: each is bad input (ConfigError, exit 2) naming the file and, where
// there is one, the line; none may hang, exhaust memory or surface a stack trace.
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-input-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function problems(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('input files', () => {
  it('refuses an oversized file before reading it', () => {
    const big = file('big.yaml', `postgres:\n  url: "${'x'.repeat(INPUT_LIMITS.config)}"\n`);
    expect(problems(() => loadTargets(big, {}, undefined))).toBe(`${big}: 1 problem:\n  - the targets file is ${INPUT_LIMITS.config + 20} bytes, more than the ${INPUT_LIMITS.config} prodcheck reads: is it the right file?`);
  });

  it('refuses a FIFO and a directory without blocking', () => {
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(problems(() => loadTargets(fifo, {}, undefined))).toBe(`${fifo}: 1 problem:\n  - the targets file is not a regular file (a FIFO, device or socket): pass --targets FILE (see targets.example.yaml)`);
    expect(problems(() => loadStackFile(dir))).toBe(`${dir}: 1 problem:\n  - the stack config is not a regular file (a directory): pass --stack NAME for ./Pulumi.NAME.yaml or --config FILE`);
  });

  it('says binary and UTF-16 input is not UTF-8 text', () => {
    const utf16 = file('utf16.yaml', Buffer.from('\ufeffconfig:\n  prodcheck:app: {}\n', 'utf16le'));
    expect(problems(() => loadStackFile(utf16))).toBe(`${utf16}: 1 problem:\n  - the stack config is UTF-16 text: save it as UTF-8`);
    const binary = file('bin.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
    expect(problems(() => loadTargets(binary, {}, undefined))).toBe(`${binary}: 1 problem:\n  - the targets file is binary, not text (it holds NUL bytes): is it the right file?`);
    const latin1 = file('latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(problems(() => loadTargets(latin1, {}, undefined))).toBe(`${latin1}: 1 problem:\n  - the targets file is not UTF-8 text: save it as UTF-8`);
  });

  it('refuses a YAML alias bomb with the line of its first alias', () => {
    const layers = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) layers.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = file('bomb.yaml', `${layers.join('\n')}\n`);
    expect(problems(() => loadTargets(bomb, {}, undefined))).toBe(
      `${bomb}: 1 problem:\n  - line 2: YAML: the aliases expand too far (Excessive alias count indicates a resource exhaustion attack), which looks like an alias bomb: write the values out instead of nesting aliases`,
    );
  });

  it('refuses more aliases than it expands', () => {
    const many = file('many.yaml', `a: &a x\nb: [${Array(MAX_YAML_ALIASES + 1).fill('*a').join(',')}]\n`);
    expect(problems(() => loadTargets(many, {}, undefined))).toBe(
      `${many}: 1 problem:\n  - line 2: YAML: ${MAX_YAML_ALIASES + 1} aliases, more than the ${MAX_YAML_ALIASES} prodcheck expands, which looks like an alias bomb: write the values out instead of nesting aliases`,
    );
  });

  it('refuses an alias to no anchor with its line', () => {
    const dangling = file('dangling.yaml', 'postgres:\n  url: postgres://v@h/db\n  timeoutMs: *missing\n');
    expect(problems(() => loadTargets(dangling, {}, undefined))).toMatch(new RegExp(`^${dangling}: 1 problem:\\n  - line 3: YAML: `));
  });

  it('reads a few ordinary aliases', () => {
    const ok = file('aliases.yaml', 'postgres:\n  url: &u postgres://v@h/db\n  poolerUrl: *u\n');
    expect(loadTargets(ok, {}, undefined).targets.postgres?.poolerUrl).toBe('postgres://v@h/db');
  });
});

describe('values', () => {
  it('a malformed ${…} is a config error, never a literal credential', () => {
    const bad = file('refs.yaml', 'vercel:\n  token: "${env:"\nstripe:\n  apiKey: "sk_live_${env:}x"\nhttp:\n  webhookSecret: "${secret:X}"\n');
    expect(problems(() => loadTargets(bad, {}, undefined))).toBe(
      `${bad}: 3 problems:\n` +
        '  - vercel.token: holds "${env:", which is not a reference: write ${env:NAME} or ${output:NAME}\n' +
        '  - stripe.apiKey: holds "${env:}", which is not a reference: write ${env:NAME} or ${output:NAME}\n' +
        '  - http.webhookSecret: holds "${secret:X}", which is not a reference: write ${env:NAME} or ${output:NAME}',
    );
  });

  it('.inf and .nan are named as such, not as null', () => {
    const inf = file('inf.yaml', 'postgres:\n  url: postgres://v@h/db\n  timeoutMs: .inf\nredis:\n  url: redis://h\n  pings: .nan\n');
    const text = problems(() => loadTargets(inf, {}, undefined));
    expect(text).toContain('postgres.timeoutMs: ');
    expect(text).toContain('(found .inf)');
    expect(text).toContain('.nan');
    expect(text).not.toContain('null');
  });
});
