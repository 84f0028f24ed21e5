import { describe, expect, it } from 'vitest';
import { AuditError, parseAudit } from '../../../verify/repo/audit.js';
import { secretsInLine } from '../../../verify/repo/history.js';

// Shapes recorded from `npm audit --json`: npm 7+ (auditReportVersion 2), npm 6 (advisories), and
// the error objects npm prints offline, without a lockfile, and behind a registry without the audit endpoint.
const NPM10 = {
  auditReportVersion: 2,
  vulnerabilities: {
    lodash: {
      name: 'lodash',
      severity: 'critical',
      isDirect: true,
      via: [{ source: 1094499, name: 'lodash', dependency: 'lodash', title: 'Prototype Pollution in lodash', url: 'https://github.com/advisories/GHSA-jf85-cpcp-j695', severity: 'critical', cwe: ['CWE-1321'], cvss: { score: 9.1, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }, range: '<4.17.12' }],
      effects: [],
      range: '<=4.17.20',
      nodes: ['node_modules/lodash'],
      fixAvailable: { name: 'lodash', version: '4.17.21', isSemVerMajor: false },
    },
    'node-fetch': {
      name: 'node-fetch',
      severity: 'high',
      isDirect: false,
      via: [{ source: 1095073, name: 'node-fetch', dependency: 'node-fetch', title: 'node-fetch forwards secure headers to untrusted sites', url: 'https://github.com/advisories/GHSA-r683-j2x4-v87g', severity: 'high', cwe: ['CWE-173'], cvss: { score: 8.8, vectorString: null }, range: '<2.6.7' }],
      effects: ['isomorphic-fetch'],
      range: '<2.6.7',
      nodes: ['node_modules/node-fetch'],
      fixAvailable: true,
    },
    'isomorphic-fetch': { name: 'isomorphic-fetch', severity: 'high', isDirect: true, via: ['node-fetch'], effects: [], range: '2.0.0 - 2.2.1', nodes: ['node_modules/isomorphic-fetch'], fixAvailable: true },
    semver: { name: 'semver', severity: 'moderate', isDirect: false, via: [], effects: [], range: '<5.7.2', nodes: ['node_modules/semver'], fixAvailable: true },
  },
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 1, high: 2, critical: 1, total: 4 },
    dependencies: { prod: 57, dev: 0, optional: 1, peer: 0, peerOptional: 0, total: 56 },
  },
};
const NPM10_CLEAN = { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, dependencies: { prod: 12, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 11 } } };
const NPM6 = {
  actions: [],
  advisories: { '1065': { id: 1065, module_name: 'lodash', severity: 'high', title: 'Prototype Pollution', vulnerable_versions: '<4.17.12', patched_versions: '>=4.17.12', findings: [{ version: '4.17.11', paths: ['lodash'] }] } },
  muted: [],
  metadata: { vulnerabilities: { info: 0, low: 2, moderate: 0, high: 1, critical: 0 }, dependencies: 5, devDependencies: 0, optionalDependencies: 0, totalDependencies: 5 },
};
const OFFLINE = { message: 'request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9', error: { summary: '', detail: '' } };
const NO_LOCK = { error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: 'Try creating one first with: npm i --package-lock-only' } };
const NO_AUDIT_ENDPOINT = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', method: 'POST', uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 };

const parse = (v: unknown) => parseAudit(JSON.stringify(v, null, 2));

describe('npm audit JSON', () => {
  it('reads npm 7+ reports: counts by severity and the high or critical packages, worst first', () => {
    expect(parse(NPM10)).toEqual({
      counts: { critical: 1, high: 2, moderate: 1, low: 0, info: 0 },
      serious: ['lodash (critical)', 'isomorphic-fetch (high)', 'node-fetch (high)'],
      dependencies: 57,
    });
    expect(parse(NPM10_CLEAN)).toEqual({ counts: { critical: 0, high: 0, moderate: 0, low: 0, info: 0 }, serious: [], dependencies: 12 });
  });

  it('reads npm 6 reports', () => {
    expect(parse(NPM6)).toEqual({ counts: { critical: 0, high: 1, moderate: 0, low: 2, info: 0 }, serious: ['lodash (high)'], dependencies: 5 });
  });

  it('turns every report that audited nothing into an AuditError', () => {
    expect(() => parse(OFFLINE)).toThrow(new AuditError('npm audit failed: request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9'));
    expect(() => parse(NO_LOCK)).toThrow(new AuditError('npm audit failed: ENOLOCK: This command requires an existing lockfile.'));
    expect(() => parse(NO_AUDIT_ENDPOINT)).toThrow(new AuditError('npm audit failed: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk'));
    expect(() => parseAudit('npm ERR! code E401')).toThrow(new AuditError('npm audit did not print JSON (npm ERR! code E401)'));
    expect(() => parse({ auditReportVersion: 2 })).toThrow(new AuditError('npm audit printed JSON without metadata.vulnerabilities'));
  });
});

describe('secret shapes on one added line', () => {
  it('finds live credentials and ignores documentation placeholders', () => {
    const key = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');
    expect(secretsInLine('src/a.ts', `const k = "${key}";`)).toEqual([['a Stripe live secret key', key]]);
    expect(secretsInLine('src/a.ts', `key: ${['sk', 'live', 'x'.repeat(24)].join('_')}`)).toEqual([]);
    expect(secretsInLine('README.md', `aws_access_key_id = ${'AKIA'}IOSFODNN7EXAMPLE`)).toEqual([]);
  });

  it('flags secret-named values in env files but not in templates', () => {
    expect(secretsInLine('.env.local', 'JWT_SECRET="a-real-looking-value-123"')).toEqual([['a secret in a committed env file (JWT_SECRET)', 'a-real-looking-value-123']]);
    expect(secretsInLine('.env.example', 'JWT_SECRET=a-real-looking-value-123')).toEqual([]);
    expect(secretsInLine('.env', 'JWT_SECRET=<generate with openssl rand -base64 32>')).toEqual([]);
    expect(secretsInLine('.env', 'NEXT_PUBLIC_APP_URL=https://chat.example.com')).toEqual([]);
  });
});
