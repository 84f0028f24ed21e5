import { connect, type PeerCertificate } from 'node:tls';
import { TimeoutError } from '../net.js';
import type { HttpClient } from './client.js';

/** What one TLS handshake (with SNI) showed of a host's certificate. */
export interface CertificateInfo {
  /** The chain verified against the trusted roots and the certificate names the host. */
  readonly authorized: boolean;
  /** OpenSSL's or Node's reason when not authorized, e.g. CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID. */
  readonly authorizationError?: string;
  readonly subjectCN?: string;
  /** As Node reports it: "DNS:example.com, DNS:www.example.com, IP Address:127.0.0.1". */
  readonly subjectAltName?: string;
  readonly issuerCN?: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly protocol?: string;
}

/** One handshake to `host` (through the client's pinning and CA); the connection is closed straight after. */
export function probeCertificate(client: HttpClient, host: string, port: number | undefined, signal: AbortSignal): Promise<CertificateInfo> {
  const target = client.connection(new URL(`https://${host}${port ? `:${port}` : ''}/`));
  return new Promise((resolve, reject) => {
    const socket = connect({ ...target, host: target.hostname, rejectUnauthorized: false });
    const timer = setTimeout(() => socket.destroy(new TimeoutError(`TLS handshake with ${host}`, client.timeoutMs)), client.timeoutMs);
    const onAbort = () => socket.destroy(new Error('the run gave up on the http target'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
    socket.on('error', reject);
    socket.once('secureConnect', () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      const error = socket.authorizationError as unknown;
      resolve({
        authorized: socket.authorized,
        authorizationError: error === null || error === undefined ? undefined : typeof error === 'string' ? error : String((error as { code?: string }).code ?? error),
        subjectCN: cnOf(cert.subject),
        subjectAltName: cert.subjectaltname,
        issuerCN: cnOf(cert.issuer),
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: new Date(cert.valid_to).toISOString(),
        protocol: socket.getProtocol() ?? undefined,
      });
      socket.end();
    });
  });
}

function cnOf(name: PeerCertificate['subject'] | undefined): string | undefined {
  const cn = (name as unknown as Record<string, string | string[]> | undefined)?.CN;
  return Array.isArray(cn) ? cn.join(', ') : cn;
}
