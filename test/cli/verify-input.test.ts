import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIo } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-cli-'));
writeFileSync(
  join(dir, 'Pulumi.bad.yaml'),
  `config:
  prodcheck:app:
    name: chat
    domain: https://chat.example.com/
  prodcheck:redis:
    provider: upstash
    evictionPolicy: lru
  prodcheck:stripe:
    products:
      - { key: pro, name: Pro, price: { unitAmount: 2000 } }
      - { key: premium, name: Premium, price: { unitAmount: "50 dollars" } }
    webhook: { events: [invoice.paid] }
`,
);
writeFileSync(join(dir, 'Pulumi.ok.yaml'), 'config:\n  prodcheck:app: { name: chat, domain: chat.example.com }\n');
writeFileSync(join(dir, 'targets.yaml'), 'postgres:\n  url: postgres://v:${env:PG_PASSWORD}@127.0.0.1:1/app\n');

describe('prodcheck verify: bad input exits 2 and runs nothing', () => {
  it('names all three mistakes of a stack config in one message', async () => {
    const io = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'bad', '--targets', 'targets.yaml'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      'prodcheck verify: invalid input, nothing was run.\n' +
        `${join(dir, 'Pulumi.bad.yaml')}: 3 problems:\n` +
        '  - prodcheck:app.domain: must be a bare host name such as example.com (no scheme, no path)\n' +
        '  - prodcheck:redis.evictionPolicy: must be one of "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl" (found "lru")\n' +
        '  - prodcheck:stripe.products[1].price.unitAmount: must be a number (found string "50 dollars")\n',
    );
  });

  it('asks for the stack, refuses both --stack and --config, and asks for targets', async () => {
    const a = captureIo({}, dir);
    expect(await main(['verify'], a)).toBe(2);
    expect(a.err()).toBe('prodcheck verify: which stack? pass --stack NAME (reads ./Pulumi.NAME.yaml) or --config FILE\n');
    const b = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'ok', '--config', 'Pulumi.ok.yaml'], b)).toBe(2);
    expect(b.err()).toBe('prodcheck verify: pass either --stack NAME or --config FILE, not both\n');
    const c = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'ok'], c)).toBe(2);
    expect(c.err()).toBe('prodcheck verify: no targets: pass --targets FILE saying where the live systems are (see targets.example.yaml)\n');
  });

  it('names a missing env var of the targets file', async () => {
    const io = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'ok', '--targets', 'targets.yaml'], io)).toBe(2);
    expect(io.err()).toBe(
      `prodcheck verify: invalid input, nothing was run.\n${join(dir, 'targets.yaml')}: 1 problem:\n  - postgres.url: references \${env:PG_PASSWORD}, but the environment variable PG_PASSWORD is not set: export it before running\n`,
    );
  });

  it('refuses an --only glob that matches no control and an unknown format', async () => {
    const a = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'ok', '--targets', 'targets.yaml', '--only', 'pg.indx'], a)).toBe(2);
    expect(a.err()).toBe('prodcheck verify: "pg.indx" matches no control id (see prodcheck controls)\n');
    const b = captureIo({}, dir);
    expect(await main(['verify', '--stack', 'ok', '--format', 'pdf'], b)).toBe(2);
    expect(b.err()).toBe('prodcheck verify: --format must be one of console, json, junit, md, sarif, github, html (found "pdf")\n');
  });
});
