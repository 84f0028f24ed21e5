/** A fixed-window limiter per client and route, as @upstash/ratelimit's fixedWindow does it. */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** Counts one request; says whether it is over the limit and when the window resets. */
  hit(key: string, limit: number, windowSeconds: number, now = Date.now()): { limited: boolean; remaining: number; resetSeconds: number } {
    const windowMs = windowSeconds * 1000;
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { limited: w.count > limit, remaining: Math.max(0, limit - w.count), resetSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
  }

  reset(): void {
    this.windows.clear();
  }
}
