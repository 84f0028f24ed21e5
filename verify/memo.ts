/**
 * What several targets of one run read from the same place (the Vercel project's env listing, which the
 * vercel, sentry, stripe, supabase and resend families all read): loaded once per run, not once per target.
 */
export class RunMemo {
  private readonly loads = new Map<string, Promise<unknown>>();

  /**
   * The value loaded for `key` in this run, loaded with `load` by the first caller. A load that fails is not
   * shared (it may have failed because its caller's budget ran out): each caller waiting on it, and the next
   * one, loads again with its own `load`, under its own budget.
   */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const shared = this.loads.get(key) as Promise<T> | undefined;
    if (shared) return shared.catch(() => load());
    const first = load();
    this.loads.set(key, first);
    first.catch(() => {
      if (this.loads.get(key) === first) this.loads.delete(key);
    });
    return first;
  }
}
