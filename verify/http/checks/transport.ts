/** Transport: http.https-redirect, http.tls.certificate, http.www-redirect. */
import type { Check, Finding } from '../../types.js';
import { appUrl } from '../../../spec/index.js';
import { coversHost, daysLeft, hstsMaxAge, isRedirect, locationOf, redirectFound, unwrap } from '../judge.js';
import type { HttpSnapshot } from '../snapshot.js';

export const httpHttpsRedirect: Check<HttpSnapshot> = {
  id: 'http.https-redirect',
  target: 'http',
  evaluate(s, spec) {
    const { url, response } = s.httpRedirect;
    const redirect = ((): Finding => {
      const r = unwrap(response, `GET ${url}`);
      if (!r.ok) return { ...r.finding, resource: url };
      const to = locationOf(r.value, url);
      const actual = redirectFound(r.value);
      // The same host, or the spec's canonical host: a redirect to any other https:// URL sends the visitor away.
      const hosts = [...new Set([new URL(url).hostname, new URL(appUrl(spec.app)).hostname])];
      const expected = `301 or 308 to https://${hosts.join(' or https://')}`;
      if (!isRedirect(r.value.status) || to?.protocol !== 'https:') {
        return { status: 'fail', message: `${url} must answer 301 or 308 to https:// (found ${actual}).`, expected, actual, resource: url };
      }
      if (!hosts.includes(to.hostname)) {
        return { status: 'fail', message: `${url} must redirect to https:// on ${hosts.join(' or ')}, not to another host (found ${actual}).`, expected, actual, resource: url };
      }
      return { status: 'pass', message: `${url} answers ${actual}.`, expected, actual, resource: url };
    })();
    const min = spec.http.hstsMinMaxAgeDays * 86_400;
    const expected = `max-age >= ${min}`;
    const resource = 'Strict-Transport-Security';
    const hsts = s.root.headers['strict-transport-security'];
    const maxAge = hsts === undefined ? undefined : hstsMaxAge(hsts);
    const header: Finding =
      hsts === undefined
        ? { status: 'fail', message: 'HTTPS responses must carry Strict-Transport-Security (found none).', expected, actual: 'none', resource }
        : maxAge === undefined
          ? { status: 'fail', message: `Strict-Transport-Security must set max-age (found "${hsts}").`, expected, actual: hsts, resource }
          : maxAge < min
            ? { status: 'fail', message: `HSTS max-age must be at least ${min} s (found ${maxAge}).`, expected, actual: String(maxAge), resource }
            : { status: 'pass', message: `HSTS max-age is ${maxAge} s (at least ${min} s).`, expected, actual: String(maxAge), resource };
    return [redirect, header];
  },
};

export const httpTlsCertificate: Check<HttpSnapshot> = {
  id: 'http.tls-certificate',
  target: 'http',
  evaluate(s, spec) {
    const min = spec.http.tlsMinDaysLeft;
    return s.certificates.map(({ host, handshake }): Finding => {
      const r = unwrap(handshake, `complete a TLS handshake with ${host}`);
      if (!r.ok) return { ...r.finding, resource: host };
      const cert = r.value;
      const expected = `verifies, covers ${host}, >= ${min} days left`;
      const chainError = cert.authorized || cert.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : (cert.authorizationError ?? 'not trusted');
      if (chainError) {
        return { status: 'fail', message: `TLS certificate for ${host} must verify against the trusted roots (found ${chainError}).`, expected, actual: chainError, resource: host };
      }
      if (!coversHost(cert, host)) {
        const names = cert.subjectAltName ?? `CN=${cert.subjectCN ?? 'none'}`;
        return { status: 'fail', message: `TLS certificate for ${host} must cover ${host} (found ${names}).`, expected, actual: names, resource: host };
      }
      const left = daysLeft(cert, s.checkedAt);
      if (left < min) {
        return { status: 'fail', message: `TLS certificate for ${host} must have at least ${min} days left (found ${left}).`, expected, actual: `${left} days left`, resource: host };
      }
      return { status: 'pass', message: `TLS certificate for ${host} verifies, covers the host and has ${left} days left.`, expected, actual: `${left} days left`, resource: host };
    });
  },
};

export const httpWwwRedirect: Check<HttpSnapshot> = {
  id: 'http.www-redirect',
  target: 'http',
  evaluate(s, spec) {
    if (spec.app.canonicalHost === 'none' || !s.wwwRedirect) return [{ status: 'skip', message: 'app.canonicalHost is none: the app has no www host to redirect.' }];
    const { from, to, response } = s.wwwRedirect;
    const r = unwrap(response, `GET ${from}`);
    if (!r.ok) return [{ ...r.finding, resource: from }];
    const target = locationOf(r.value, from);
    const actual = redirectFound(r.value);
    const expected = `301 or 308 to ${to}`;
    return isRedirect(r.value.status) && target?.protocol === 'https:' && target.hostname === new URL(to).hostname
      ? [{ status: 'pass', message: `${from} answers ${actual}.`, expected, actual, resource: from }]
      : [{ status: 'fail', message: `${from} must answer 301 or 308 to ${to} (found ${actual}).`, expected, actual, resource: from }];
  },
};
