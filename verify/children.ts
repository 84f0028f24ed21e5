import type { ChildProcess } from 'node:child_process';

/**
 * Every child process a run has started and not yet seen exit. The CLI kills them all when it is
 * interrupted (SIGINT/SIGTERM) or exits, so that no npm audit, git log or pulumi refresh outlives it.
 */
const live = new Set<ChildProcess>();
const groupLeaders = new WeakSet<ChildProcess>();
/** What to remove, synchronously, when the children are killed (scratch files: the process exits next). */
const scratch = new Set<() => void>();
let killed = false;

/**
 * Tracks a child until it exits. One started after killChildren has run (spawned while the run was being
 * stopped) is killed at once: nothing may outlive the process.
 */
export function trackChild<T extends ChildProcess>(child: T): T {
  if (killed) {
    kill(child, 'SIGKILL');
    return child;
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Kills every tracked child (a detached one with its whole process group). Safe to call twice. */
export function killChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) kill(child, signal);
  live.clear();
  killed = true;
  for (const remove of scratch) {
    try {
      remove();
    } catch {
      // Nothing more can be done on the way out.
    }
  }
  scratch.clear();
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined && groupLeaders.has(child)) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

export function liveChildren(): number {
  return live.size;
}

/** Marks a child spawned with `detached: true`: it leads its own process group, which is killed whole. */
export function trackGroup<T extends ChildProcess>(child: T): T {
  groupLeaders.add(child);
  return trackChild(child);
}

/**
 * Runs `remove` (synchronous: delete a child's scratch files) if the children are killed before the returned
 * disposer is called. Once they have been (the run was interrupted), nothing new should start: see killedAll.
 */
export function trackScratch(remove: () => void): () => void {
  scratch.add(remove);
  return () => scratch.delete(remove);
}

/** True once killChildren has run: the process is stopping, and a child started now would outlive it. */
export function killedAll(): boolean {
  return killed;
}
