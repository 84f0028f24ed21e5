import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTargets } from '../../spec/index.js';

// The targets file lives in a directory that is not the working directory: its relative paths are its own.
const root = mkdtempSync(join(tmpdir(), 'prodcheck-paths-'));
const deploy = join(root, 'deploy');
mkdirSync(deploy);
// The files the targets below name, where they name them.
mkdirSync(join(deploy, 'certs'));
mkdirSync(join(root, 'ca'));
for (const f of ['certs/ca.pem', 'certs/rds-ca.pem', 'certs/redis-ca.pem', 'ca.pem']) writeFileSync(join(deploy, f), 'PEM');
for (const f of ['client.crt', 'ca/site.pem']) writeFileSync(join(root, f), 'PEM');
const key = join(root, 'key.pem');
writeFileSync(key, 'PEM');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(deploy, 'targets.yaml');
  writeFileSync(file, yaml);
  return loadTargets(file, env, undefined).targets;
}

describe('relative paths in a targets file', () => {
  it('resolve against the targets file\'s directory, not the working directory', () => {
    expect(process.cwd()).not.toBe(deploy);
    const t = load(
      [
        `postgres: { url: "postgres://verifier:pw@db:5432/app?sslmode=verify-full&sslrootcert=certs/rds-ca.pem&sslcert=../client.crt&sslkey=${encodeURIComponent(key)}", caFile: certs/ca.pem }`,
        'redis: { url: "rediss://:pw@cache:6380", caFile: ./certs/redis-ca.pem }',
        'http: { baseUrl: "https://shop.example.com", caFile: ../ca/site.pem }',
        'repo: { path: .. }',
      ].join('\n'),
    );
    expect(t.postgres?.caFile).toBe(join(deploy, 'certs/ca.pem'));
    expect(t.postgres?.url).toBe(`postgres://verifier:pw@db:5432/app?sslmode=verify-full&sslrootcert=${deploy}/certs/rds-ca.pem&sslcert=${root}/client.crt&sslkey=${encodeURIComponent(key)}`);
    expect(t.redis?.caFile).toBe(join(deploy, 'certs/redis-ca.pem'));
    expect(t.http?.caFile).toBe(join(root, 'ca/site.pem'));
    expect(t.repo?.path).toBe(root);
  });

  it('leave absolute paths, sslrootcert=system, references resolved to absolute paths and the rest of a URL as written', () => {
    const t = load(
      ['postgres: { url: "postgres://verifier:p%40ss@db/app?sslrootcert=system", caFile: "${env:CA}" }', `repo: { path: ${root} }`].join('\n'),
      { CA: key },
    );
    expect(t.postgres?.caFile).toBe(key);
    expect(t.postgres?.url).toBe('postgres://verifier:p%40ss@db/app?sslrootcert=system');
    expect(t.repo?.path).toBe(root);
  });

  it('resolve a relative path given through ${env:…} against the targets file too', () => {
    expect(load('redis: { url: "rediss://cache:6380", caFile: "${env:CA}" }', { CA: 'ca.pem' }).redis?.caFile).toBe(join(deploy, 'ca.pem'));
  });

  it('keep repo.path\'s default, the working directory, when the file does not set it', () => {
    expect(load('repo: {}').repo?.path).toBe('.');
  });

  it('name a missing repository directory, CA file or client certificate as bad input, with where and what to do', () => {
    const file = join(deploy, 'targets.yaml');
    writeFileSync(key.replace('key.pem', 'unreadable.pem'), 'PEM', { mode: 0o000 });
    const unreadable = process.getuid?.() === 0 ? undefined : key.replace('key.pem', 'unreadable.pem');
    const yaml = [
      'postgres: { url: "postgres://v:pw@db/app?sslcert=missing/client.crt", caFile: nowhere/ca.pem }',
      `redis: { url: "rediss://cache:6380", caFile: ${unreadable ?? 'certs'} }`,
      'http: { caFile: certs }',
      'repo: { path: ../no-such-checkout }',
    ].join('\n');
    expect(() => load(yaml)).toThrow(
      [
        `${file}: 5 problems:`,
        `  - postgres.caFile: names ${deploy}/nowhere/ca.pem, which does not exist: set it to the CA certificate (PEM) the server's certificate chains to, absolute or relative to the targets file`,
        unreadable
          ? `  - redis.caFile: names ${unreadable}, which cannot be read (EACCES): set it to the CA certificate (PEM) the server's certificate chains to, absolute or relative to the targets file, or let prodcheck's user read it`
          : `  - redis.caFile: names ${deploy}/certs, which is not a file: set it to the CA certificate (PEM) the server's certificate chains to, absolute or relative to the targets file`,
        `  - http.caFile: names ${deploy}/certs, which is not a file: set it to the CA certificate (PEM) the server's certificate chains to, absolute or relative to the targets file`,
        `  - repo.path: names ${root}/no-such-checkout, which does not exist: set it to the git checkout to check, absolute or relative to the targets file`,
        `  - postgres.url (sslcert): names ${deploy}/missing/client.crt, which does not exist: set it to the client certificate (PEM), absolute or relative to the targets file`,
      ].join('\n'),
    );
  });
});
