import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { checkWritableFile } from '../../cli/output-paths.js';
import { captureIo } from '../helpers/io.js';

// Issue 14: a report or baseline path that cannot be written is found before anything runs, acting probes included.
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-output-paths-'));
mkdirSync(join(dir, 'reports'));
writeFileSync(join(dir, 'a-file'), 'not a directory\n');
writeFileSync(join(dir, 'Pulumi.live.yaml'), 'config:\n  prodcheck:app: { name: a, domain: example.com }\n  prodcheck:redis: { provider: self-hosted, tls: false }\n');
writeFileSync(join(dir, 'checklist.md'), '- [ ] Backups are on\n');
writeFileSync(join(dir, 'results.json'), '{}\n');

// Where the targets point: any connection at all would mean something ran.
let server: Server;
let connections = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  writeFileSync(join(dir, 'targets.yaml'), `redis:\n  url: redis://:pw@127.0.0.1:${port}\n`);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = captureIo({ PATH: process.env.PATH }, dir);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const verify = ['verify', '--stack', 'live', '--targets', 'targets.yaml', '--active'];

describe('output paths are checked before anything runs (exit 2, nothing contacted)', () => {
  it('--out in a directory that does not exist', async () => {
    const r = await run(...verify, '--format', 'json', '--out', 'missing/results.json');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `prodcheck verify: --out missing/results.json: the directory ${join(dir, 'missing')} does not exist: create it (mkdir -p ${join(dir, 'missing')}) or pass a path in an existing directory\n`,
    });
    expect(connections).toBe(0);
  });

  it('--out naming a directory', async () => {
    const r = await run(...verify, '--format', 'junit', '--out', 'reports');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`prodcheck verify: --out reports: ${join(dir, 'reports')} is a directory: name a file, e.g. ${join(dir, 'reports/report.xml')}\n`);
    expect(connections).toBe(0);
  });

  it('--report into a path under a regular file', async () => {
    const r = await run(...verify, '--report', 'sarif=a-file/out.sarif');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`prodcheck verify: --report sarif=a-file/out.sarif: ${join(dir, 'a-file')} is not a directory, so ${join(dir, 'a-file/out.sarif')} cannot be created there: pass another path\n`);
    expect(connections).toBe(0);
  });

  it('drift --update-baseline with a baseline path that is a directory', async () => {
    const r = await run('drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'reports', '--update-baseline');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`prodcheck drift: --baseline reports: ${join(dir, 'reports')} is a directory: name a file, e.g. ${join(dir, 'reports/baseline.json')}\n`);
    expect(connections).toBe(0);
  });

  it('drift with a baseline directory to read', async () => {
    const r = await run('drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'reports');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'reports')}: 1 problem:\n  - the baseline is not a regular file (a directory)`);
    expect(connections).toBe(0);
  });

  it('gate, sandbox and checklist fill check theirs first too', async () => {
    const gate = await run('gate', '--stack', 'live', '--out', 'missing/gate.json');
    expect(gate.code).toBe(2);
    expect(gate.err).toBe(`prodcheck gate: --out missing/gate.json: the directory ${join(dir, 'missing')} does not exist: create it (mkdir -p ${join(dir, 'missing')}) or pass a path in an existing directory\n`);
    const sandbox = await run('sandbox', '--report', 'html=reports');
    expect(sandbox.code).toBe(2);
    expect(sandbox.err).toBe(`prodcheck sandbox: --report html=reports: ${join(dir, 'reports')} is a directory: name a file, e.g. ${join(dir, 'reports/report.html')}\n`);
    const fill = await run('checklist', 'fill', 'checklist.md', '--results', 'results.json', '--out', 'reports');
    expect(fill.code).toBe(2);
    expect(fill.err).toBe(`prodcheck checklist: --out reports: ${join(dir, 'reports')} is a directory: name a file, e.g. ${join(dir, 'reports/checklist.md')}\n`);
  });

  it.skipIf(process.getuid?.() === 0)('a directory the user cannot write to (not checkable as root, who may write anywhere)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    try {
      const r = await run(...verify, '--out', 'locked/r.txt');
      expect(r.code).toBe(2);
      expect(r.err).toBe(`prodcheck verify: --out locked/r.txt: cannot create ${join(locked, 'r.txt')}: the directory ${locked} is not writable (EACCES): pass a path in a writable directory\n`);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

describe('checkWritableFile', () => {
  it('accepts a new file in an existing directory, an existing file, /dev/null, and with createDirs a path to be created', () => {
    expect(() => checkWritableFile(join(dir, 'reports/new.json'), '--out')).not.toThrow();
    expect(() => checkWritableFile(join(dir, 'a-file'), '--out')).not.toThrow();
    expect(() => checkWritableFile('/dev/null', '--out')).not.toThrow();
    expect(() => checkWritableFile(join(dir, 'drift/prod/baseline.json'), '--baseline', { createDirs: true })).not.toThrow();
    expect(() => checkWritableFile(join(dir, 'a-file/deeper/baseline.json'), '--baseline', { createDirs: true })).toThrow(`--baseline: ${join(dir, 'a-file')} is not a directory`);
  });
});
