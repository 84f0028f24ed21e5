import { randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface TlsOptions {
  /** Extra DNS names or IP addresses for the server certificate, besides 127.0.0.1, ::1 and localhost. */
  names?: readonly string[];
  /** A server certificate that expired yesterday (clients must reject it). */
  expired?: boolean;
  /** A server certificate for `wrong-host.invalid` only, so host-name verification fails against 127.0.0.1/localhost. */
  wrongHost?: boolean;
  /** Validity of the server certificate in days; default 7. The CA is valid for 30 days. */
  validDays?: number;
}

/** PEM strings of a throwaway CA and a server certificate it signed. */
export interface TlsMaterial {
  readonly caCert: string;
  readonly cert: string;
  /** PKCS#8 private key of the server certificate. */
  readonly key: string;
  /** Host names and addresses the server certificate is valid for. */
  readonly names: readonly string[];
}

export interface TlsFiles extends TlsMaterial {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Deletes the temp dir. */
  remove(): Promise<void>;
}

const DAY_MS = 86_400_000;
// ECDSA P-256: small and fast to generate, and accepted by OpenSSL (Postgres, pgbouncer) and Node's TLS alike.
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function serial(): string {
  // Positive (high bit clear) and never zero, as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function generalName(name: string): { type: 'ip' | 'dns'; value: string } {
  return isIP(name) ? { type: 'ip', value: name } : { type: 'dns', value: name };
}

/**
 * A throwaway CA whose key stays in memory, so several server certificates (a good one, an expired one,
 * one for the wrong host, one about to expire) can chain to the same root and differ only in the property under test.
 */
export interface CertificateAuthority {
  readonly caCert: string;
  /** Signs a server certificate for 127.0.0.1, ::1, localhost and `opts.names` (or the fault `opts` asks for). */
  issue(opts?: TlsOptions): Promise<TlsMaterial>;
}

/** A new CA, valid from yesterday for `validDays` (default 30). */
export async function createCertificateAuthority(opts: { validDays?: number } = {}): Promise<CertificateAuthority> {
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=prodcheck sandbox CA',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + (opts.validDays ?? 30) * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caCert = ca.toString('pem') + '\n';
  return { caCert, issue: (o = {}) => issueServerCert(ca, caKeys.privateKey, caCert, o) };
}

async function issueServerCert(ca: x509.X509Certificate, caKey: webcrypto.CryptoKey, caCert: string, opts: TlsOptions): Promise<TlsMaterial> {
  const now = Date.now();
  const names = opts.wrongHost ? ['wrong-host.invalid'] : [...new Set(['localhost', '127.0.0.1', '::1', ...(opts.names ?? [])])];
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const validDays = opts.validDays ?? 7;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0] ?? 'localhost'}`,
    issuer: ca.subject,
    notBefore: opts.expired ? new Date(now - 30 * DAY_MS) : new Date(now - 60_000),
    notAfter: opts.expired ? new Date(now - DAY_MS) : new Date(now + validDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map(generalName)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return {
    caCert,
    cert: cert.toString('pem') + '\n',
    key: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    names,
  };
}

/** Generates a CA and a server certificate signed by it, for 127.0.0.1, ::1, localhost and `names`. */
export async function generateTls(opts: TlsOptions = {}): Promise<TlsMaterial> {
  return (await createCertificateAuthority()).issue(opts);
}

/** generateTls, written as ca.crt, server.crt and server.key (mode 0600) into a new temp dir. */
export async function createTlsFiles(opts: TlsOptions & { tmpRoot?: string } = {}): Promise<TlsFiles> {
  const material = await generateTls(opts);
  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'prodcheck-tls-'));
  const files = { caFile: join(dir, 'ca.crt'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
  try {
    // Servers that drop root (Postgres, pgbouncer) read these as another user: the dir must be traversable
    // and the certificates world-readable; the key stays 0600 and is handed over by the caller.
    await chmod(dir, 0o755);
    await writeFile(files.caFile, material.caCert, { mode: 0o644 });
    await writeFile(files.certFile, material.cert, { mode: 0o644 });
    await writeFile(files.keyFile, material.key, { mode: 0o600 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { ...material, ...files, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
