import type { ChildProcess } from 'node:child_process';

/**
 * Every child process a run has started and not yet seen exit. The CLI kills them all when it is
 * interrupted (SIGINT/SIGTERM) or exits, so that no npm audit, git log or pulumi refresh outlives it.
 */
const live = new Set<ChildProcess>();
const groupLeaders = new WeakSet<ChildProcess>();

export function trackChild<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Kills every tracked child (a detached one with its whole process group). Safe to call twice. */
export function killChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) {
    try {
      if (child.pid !== undefined && groupLeaders.has(child)) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

export function liveChildren(): number {
  return live.size;
}

/** Marks a child spawned with `detached: true`: it leads its own process group, which is killed whole. */
export function trackGroup<T extends ChildProcess>(child: T): T {
  groupLeaders.add(child);
  return trackChild(child);
}
