import { describe, expect, it } from 'vitest';
import { referencedScripts, sourceMapUrl } from '../../../verify/http/bundle-refs.js';
import { scanForSecrets } from '../../../verify/http/secret-scan.js';

const BASE = 'https://shop.example.com/_next/static/chunks/main-0123abcd.js';
// Built at run time so no secret-shaped literal sits in the repository.
const rep = (s: string, n: number) => s.repeat(n);
const jwt = (role: string) => ['{"alg":"HS256","typ":"JWT"}', JSON.stringify({ iss: 'supabase', role })].map((p) => Buffer.from(p).toString('base64url')).concat('c2lnbmF0dXJlLXNpZ25hdHVyZQ').join('.');

describe('scanForSecrets: secretlint’s recommended preset plus prodcheck’s shapes', () => {
  it('knows Stripe, AWS, GitHub, OpenAI, Anthropic, Google, Slack, private keys, database URLs and service-role JWTs', async () => {
    const lines = [
      `a="sk_live_${rep('a1B2', 8)}"`,
      `b="AKIA${'Z7Q3K5M2N8P4R6T1'}"`,
      `c="gh${'p'}_${rep('A1b2', 9)}"`,
      `d="sk-proj-${rep('Ab1x', 10)}T3BlbkFJ${rep('Cd2y', 6)}"`,
      `e="sk-ant-api03-${rep('x', 93)}AA"`,
      `f="GOCSPX-${rep('k9', 14)}"`,
      `g="xox${'b'}-123456789012-1234567890123-${rep('a', 24)}"`,
      `h="-----BEGIN ${'PRIVATE'} KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END ${'PRIVATE'} KEY-----"`,
      `i="postgres://app:${'S3cretPass'}@db.internal:5432/app"`,
      `j="${jwt('service_role')}" k="${jwt('anon')}"`,
      `l="sk_test_${rep('a1B2', 8)}" m="pk_live_${rep('a1B2', 8)}" n="AIza${rep('B', 35)}"`,
    ].join('\n');
    const hits = await scanForSecrets(lines, '/chunk.js');
    expect(hits.map((h) => `${h.kind} @${h.line}:${h.column}`)).toEqual([
      'a Stripe live secret key @1:4',
      'an AWS access key id @2:4',
      'a GitHub token @3:4',
      'an OpenAI API key @4:4',
      'an Anthropic API key @5:4',
      'a Google OAuth client secret @6:4',
      'a Slack token @7:4',
      'a private key @8:4',
      'a database URL with a password @9:19',
      'a Supabase service-role JWT @10:4',
    ]);
    expect(hits.find((h) => h.kind.startsWith('a database URL'))?.value).toBe('S3cretPass');
  });

  it('reports what only secretlint’s preset knows, naming the rule', async () => {
    const text = `const npm="npm_${rep('a1B2c3', 6)}"; const sg="SG.${rep('a1', 11)}.${rep('b2C', 14)}x";`;
    expect((await scanForSecrets(text, '/x.js')).map((h) => h.kind)).toEqual(['a secret (secretlint npm)', 'a secret (secretlint sendgrid)']);
  });

  it('finds nothing in ordinary code', async () => {
    expect(await scanForSecrets('const url="https://api.example.com/v1";function f(e){return e+1}', '/x.js')).toEqual([]);
  });
});

describe('referencedScripts: chunks no <script> tag names', () => {
  it('follows dynamic import(), Next.js chunk paths and _buildManifest.js entries', () => {
    const text = [
      'const a=()=>import("./billing-9f8e7d6c.js");',
      'self.__BUILD_MANIFEST={"/":["static/chunks/pages/index-5a4b3c2d.js"],"/pricing":["static/chunks/pages/pricing-1a2b3c4d.js"]};',
      'n.p="/_next/";var x="/_next/static/chunks/framework-0a0b0c0d.js";',
    ].join('\n');
    expect(referencedScripts(text, BASE)).toEqual([
      'https://shop.example.com/_next/static/chunks/billing-9f8e7d6c.js',
      'https://shop.example.com/_next/static/chunks/pages/index-5a4b3c2d.js',
      'https://shop.example.com/_next/static/chunks/pages/pricing-1a2b3c4d.js',
      'https://shop.example.com/_next/static/chunks/framework-0a0b0c0d.js',
    ]);
  });

  it('expands webpack’s chunk-id to hash map', () => {
    const text = 'r.u=function(e){return"static/chunks/"+({42:"admin"}[e]||e)+"."+{42:"aa11bb22",77:"cc33dd44"}[e]+".js"}';
    expect(referencedScripts(text, BASE)).toEqual([
      'https://shop.example.com/_next/static/chunks/admin.aa11bb22.js',
      'https://shop.example.com/_next/static/chunks/77.cc33dd44.js',
    ]);
  });

  it('finds a source map by comment or header, not a data: one', () => {
    expect(sourceMapUrl('x()\n//# sourceMappingURL=main-0123abcd.js.map', BASE, {})).toBe('https://shop.example.com/_next/static/chunks/main-0123abcd.js.map');
    expect(sourceMapUrl('x()', BASE, { sourcemap: '/maps/main.map' })).toBe('https://shop.example.com/maps/main.map');
    expect(sourceMapUrl('x()\n//# sourceMappingURL=data:application/json;base64,e30=', BASE, {})).toBeUndefined();
  });
});
