import { createServer } from 'node:net';

// The kernel may hand a just-released port to the next bind(0); remembering what this process
// already gave out keeps concurrent starts in one process from racing for the same port.
// Races with other processes are left to the callers, which retry on "address already in use".
const issued = new Set<number>();

function bindEphemeral(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`freePort: unexpected server address ${String(address)}`));
      });
    });
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindEphemeral();
    if (!issued.has(port)) {
      issued.add(port);
      return port;
    }
  }
  throw new Error('freePort: the kernel kept returning ports this process already handed out');
}

/** True when a server's output says its listen port was taken between freePort() and bind. */
export function isAddressInUse(output: string): boolean {
  return /address already in use/i.test(output);
}
