import { rootCertificates } from 'node:tls';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/**
 * Makes the process's fetch (used by @upstash/redis, @vercel/sdk...) trust the sandbox CA besides the
 * public roots. Those clients take no CA option, and NODE_EXTRA_CA_CERTS only counts at process start.
 * Returns a function that restores the previous dispatcher.
 */
export function trustCaForFetch(caCert: string): () => void {
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca: [...rootCertificates, caCert] } }));
  return () => setGlobalDispatcher(previous);
}
