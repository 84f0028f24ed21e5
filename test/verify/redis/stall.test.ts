import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../../sandbox/services/index.js';
import { Redactor } from '../../../report/redact.js';
import { probeAnonymousTcp } from '../../../verify/redis/probes.js';

/**
 * A full verify does synchronous work that stalls the event loop; after a stall Node runs expired timers
 * before it reads the sockets. The no-auth probe's 1 s budget must count the server's time, or a busy
 * run reads a NOAUTH that is already waiting as "no answer" (seen in eight parallel verifies).
 */
let server: RedisInstance;
beforeAll(async () => {
  server = await startRedis({ password: 'stall-test-password-1' });
});
afterAll(() => server.stop());

const stallFor = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else in this process runs
  }
};

describe('the Redis no-auth probe in a busy process', () => {
  it('reads the NOAUTH refusal although the process stalls longer than the probe budget', async () => {
    const pending = probeAnonymousTcp({ scheme: 'redis', host: server.host, port: server.port, endpoint: `redis://${server.host}:${server.port}`, tls: undefined }, new Redactor());
    // The process stalls past the 1 s budget before it has even read the connection's opening.
    stallFor(1_500);
    const answer = await pending;
    expect(answer).toEqual({ ok: true, value: { accepted: false, answer: expect.stringMatching(/^-NOAUTH/) as unknown } });
  });
});
