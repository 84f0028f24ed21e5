import { describe, expect, test } from 'vitest';
import { engineConfigAsFile } from '../../infra/config.js';
import { awsName } from '../../infra/network.js';
import { maintenanceWindowAfter, neonPoolerHost, parsePgUrl, PgUrlError, pgUrl } from '../../infra/pg-url.js';
import { scramVerifier } from '../../infra/providers/postgres/connect.js';

describe('pg-url', () => {
  test('parses an admin URL and builds an app URL with encoded credentials', () => {
    const login = parsePgUrl('postgres://owner:p%40ss@db.example.com:6543/app');
    expect(login).toEqual({ host: 'db.example.com', port: 6543, database: 'app', user: 'owner', password: 'p@ss' });
    expect(pgUrl({ ...login, user: 'app', password: 'a/b' }, true)).toBe('postgresql://app:a%2Fb@db.example.com:6543/app?sslmode=require');
    expect(pgUrl(login, false)).toBe('postgresql://owner:p%40ss@db.example.com:6543/app');
  });

  test('refuses an admin URL without a password or database', () => {
    expect(() => parsePgUrl('postgres://owner@db.example.com/app')).toThrow(PgUrlError);
    expect(() => parsePgUrl('postgres://owner:pw@db.example.com')).toThrow('postgres:adminUrl must be postgres://<owner>:<password>@<host>:<port>/<database> (all parts present)');
  });

  test('Neon’s pooled host adds -pooler to the first label, once', () => {
    expect(neonPoolerHost('ep-cool-1.us-east-2.aws.neon.tech')).toBe('ep-cool-1-pooler.us-east-2.aws.neon.tech');
    expect(neonPoolerHost('ep-cool-1-pooler.us-east-2.aws.neon.tech')).toBe('ep-cool-1-pooler.us-east-2.aws.neon.tech');
  });

  test('the maintenance window follows the backup window by an hour, rolling into Monday past midnight', () => {
    expect(maintenanceWindowAfter('03:00-04:00')).toBe('sun:05:00-sun:06:00');
    expect(maintenanceWindowAfter('22:30-23:30')).toBe('mon:00:30-mon:01:30');
  });
});

test('AWS names are lower-case letters, digits and single hyphens, starting with a letter', () => {
  expect(awsName('My_App', 'prod', 'postgres')).toBe('my-app-prod-postgres');
  expect(awsName('1st--app', 'x')).toBe('st-app-x');
});

test('engine config reads back as the file: JSON objects parsed, scalars kept, prodcheck secrets as `secure`', () => {
  const file = engineConfigAsFile({ 'prodcheck:app': '{"name":"x"}', 'aws:region': 'us-east-1', 'prodcheck:dns': '{}', 'prodcheck:plain': 'text' }, (k) => k === 'prodcheck:dns');
  expect(file).toEqual({ 'prodcheck:app': { name: 'x' }, 'aws:region': 'us-east-1', 'prodcheck:dns': { secure: '[secret]' }, 'prodcheck:plain': 'text' });
});

test('the SCRAM verifier matches RFC 7677’s test vector', async () => {
  // RFC 7677 section 3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
  const v = await scramVerifier('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));
  expect(v).toBe('SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=');
});
