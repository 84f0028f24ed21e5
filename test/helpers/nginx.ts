/**
 * Debian's nginx (/usr/sbin/nginx) as a real web front for the http tests: a throwaway prefix dir with its
 * own config, pid, logs and temp paths, free ports, TLS from a throwaway CA, and no root needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../sandbox/services/index.js';
import { armReaper } from '../../sandbox/services/reaper.js';
import { createTlsFiles, type TlsFiles } from '../../sandbox/services/tls.js';
import { stopChild } from '../../sandbox/services/child.js';

export const NGINX_BIN = '/usr/sbin/nginx';

export async function hasNginx(bin = NGINX_BIN): Promise<boolean> {
  return stat(bin).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** What a config's server blocks are written against. */
export interface NginxPorts {
  readonly http: number;
  readonly https: number;
  /** ssl_certificate and ssl_certificate_key lines for the throwaway certificate. */
  readonly tls: string;
}

export interface NginxFront {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** PEM of the CA that signed the server certificate. */
  readonly caFile: string;
  /** The error log so far: for a failing test's message. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts nginx with `servers` (the http {} block's server blocks, written as people write them) and waits
 * until both ports accept connections. The certificate names `names` (besides 127.0.0.1 and localhost).
 */
export async function startNginx(servers: (p: NginxPorts) => string, names: readonly string[]): Promise<NginxFront> {
  const dir = await mkdtemp(join(tmpdir(), 'prodcheck-nginx-'));
  const pidFile = join(dir, 'nginx.pid');
  const reaper = armReaper({ pidFile, signal: 'TERM', dir });
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    reaper.disarm();
  };
  try {
    const tls: TlsFiles = await createTlsFiles({ tmpRoot: dir, names, validDays: 90 });
    const [http, https] = [await freePort(), await freePort()];
    for (const t of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, 'temp', t), { recursive: true });
    const config = `
# As root, workers run as root too (the temp dirs are root's); as any other user this line is ignored with a warning.
user ${userInfo().username};
worker_processes 1;
pid ${pidFile};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'temp/client')};
  proxy_temp_path ${join(dir, 'temp/proxy')};
  fastcgi_temp_path ${join(dir, 'temp/fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp/uwsgi')};
  scgi_temp_path ${join(dir, 'temp/scgi')};
  default_type application/octet-stream;
${servers({ http, https, tls: `ssl_certificate ${tls.certFile};\n    ssl_certificate_key ${tls.keyFile};` })}
}
`;
    const confFile = join(dir, 'nginx.conf');
    await writeFile(confFile, config);
    const proc = spawn(NGINX_BIN, ['-p', dir, '-e', join(dir, 'error.log'), '-c', confFile, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`nginx exited with ${code}: ${stderr.trim()}`))));
    await Promise.race([Promise.all([waitForPort(http), waitForPort(https)]), exited]);
    return {
      httpPort: http,
      httpsPort: https,
      caFile: tls.caFile,
      errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForPort(port: number, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
