import { spawn } from 'node:child_process';

// Blocks until the pipe from the owning Node process reaches EOF, which the kernel delivers when
// that process dies for any reason (SIGKILL, OOM, a test runner killing its workers) — cases in
// which no 'exit' handler runs. The pid is read from the server's pid file only then; the server
// removes that file as it finishes a clean shutdown, which is what the wait watches (polling the
// pid alone would also see a zombie that a slow init has not reaped yet).
const SCRIPT = `
while read -r _; do :; done
pid=$(head -n 1 "$1" 2>/dev/null)
case "$pid" in ''|*[!0-9]*) pid= ;; esac
if [ -n "$pid" ]; then
  kill -s "$2" "$pid" 2>/dev/null
  n=0
  while [ -e "$1" ] && kill -0 "$pid" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  if [ -e "$1" ]; then kill -s KILL "$pid" 2>/dev/null; fi
fi
rm -rf "$3"
`;

export interface Reaper {
  /** Call once the server is stopped and its dir removed, so nothing is done twice. */
  disarm(): void;
}

/**
 * Guards a server's temp dir (and the server, once its pid file exists) against this process
 * dying without calling stop(). The guard is a detached `sh` in its own process group, so a
 * terminal's Ctrl-C cannot kill it before it has done its job.
 */
export function armReaper(target: { pidFile: string; signal: 'INT' | 'TERM'; dir: string }): Reaper {
  const guard = spawn('sh', ['-c', SCRIPT, 'prodcheck-reaper', target.pidFile, target.signal, target.dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Without sh (e.g. Windows) there is no guard; stop() still works.
  guard.on('error', () => undefined);
  guard.stdin?.on('error', () => undefined);
  guard.unref();
  (guard.stdin as { unref?: () => void } | null)?.unref?.();
  return {
    disarm: () => {
      guard.kill('SIGKILL');
      guard.stdin?.destroy();
    },
  };
}
