/**
 * A timeout that counts the time the server had to answer, not the time this process was busy.
 *
 * A full verify runs every family in one process; with several runs on few cores, synchronous work
 * (another family's parsing, a TLS handshake, git) stalls the event loop for seconds. After a stall
 * Node runs expired timers before it reads the sockets, so a timeout on the wall clock fires although
 * the server's answer is already waiting (issue 14: eight parallel verifies, `timeout expired` in 8 of 8).
 * Here the budget is spent in ticks: a tick that comes late counts as one tick, so a stalled
 * process does not spend the server's budget, and the sockets are read before the next tick can expire it.
 * The runner's per-target budget still bounds the whole run on the wall clock.
 */
const TICK_MS = 50;

export interface Deadline {
  /** Stops the clock; the callback will not run. */
  cancel(): void;
}

export function serverDeadline(ms: number, expire: () => void): Deadline {
  let left = ms;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    left -= Math.min(now - last, TICK_MS);
    last = now;
    if (left <= 0) {
      clearInterval(timer);
      expire();
    }
  }, TICK_MS);
  // Like a socket's own timer, the deadline alone does not keep the process alive.
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}
