import { describe, expect, it } from 'vitest';
import * as checks from '../../../verify/http/checks/index.js';
import type { ResponseInfo } from '../../../verify/http/snapshot.js';
import { judge, ok, res } from './fixture.js';
import { httpStack } from './stack.js';

const redirect = (r: ResponseInfo) => () => ({ httpRedirect: { url: 'http://shop.example.com/', response: ok(r) } });

describe('http.https-redirect: the redirect stays on the host', () => {
  it('passes a redirect to https:// on the same host, path kept', () => {
    expect(judge(checks.httpHttpsRedirect, redirect(res(301, { location: 'https://shop.example.com/?from=http' })))[0]).toEqual([
      'pass',
      'http://shop.example.com/ answers 301 to https://shop.example.com/?from=http.',
    ]);
  });

  it('passes a redirect to the spec canonical host (www) from the apex', () => {
    const spec = httpStack({}, { canonicalHost: 'www' });
    expect(judge(checks.httpHttpsRedirect, redirect(res(308, { location: 'https://www.shop.example.com/' })), spec)[0]).toEqual([
      'pass',
      'http://shop.example.com/ answers 308 to https://www.shop.example.com/.',
    ]);
  });

  it('fails a redirect to https:// on another host, naming the hosts it must stay on', () => {
    expect(judge(checks.httpHttpsRedirect, redirect(res(301, { location: 'https://parking.example.net/' })))[0]).toEqual([
      'fail',
      'http://shop.example.com/ must redirect to https:// on shop.example.com, not to another host (found 301 to https://parking.example.net/).',
    ]);
    const spec = httpStack({}, { canonicalHost: 'www' });
    expect(judge(checks.httpHttpsRedirect, redirect(res(308, { location: 'https://shop.example.com.evil.net/' })), spec)[0]).toEqual([
      'fail',
      'http://shop.example.com/ must redirect to https:// on shop.example.com or www.shop.example.com, not to another host (found 308 to https://shop.example.com.evil.net/).',
    ]);
  });
});
