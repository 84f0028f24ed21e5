import { Cookie } from 'tough-cookie';
import type { CookieInfo } from './snapshot.js';

/** A Set-Cookie header parsed the way the Observatory's cookie jar parses it; undefined when unparseable. */
export function parseSetCookie(header: string): (CookieInfo & { readonly value: string }) | undefined {
  const c = Cookie.parse(header, { loose: true });
  if (!c) return undefined;
  const sameSite = c.sameSite && c.sameSite !== 'unspecified' ? c.sameSite.toLowerCase() : undefined;
  return { name: c.key, value: c.value, httpOnly: c.httpOnly, secure: c.secure, sameSite };
}

/** The attributes of every cookie an answer sets, values dropped. */
export function cookieInfos(headers: readonly string[]): CookieInfo[] {
  return headers.flatMap((h) => {
    const c = parseSetCookie(h);
    return c ? [{ name: c.name, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite }] : [];
  });
}
