import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { killChildren, killedAll, liveChildren, trackChild, trackGroup } from '../../verify/children.js';

// killChildren is once per process (the CLI is stopping); vitest gives this file a module instance of its own.
describe('the children a run started', () => {
  it('are killed on the way out, a detached one with its process group, and one started afterwards at once', async () => {
    const plain = trackChild(spawn('sleep', ['30'], { stdio: 'ignore' }));
    // A shell leading its own group, with a grandchild: both must go.
    const group = trackGroup(spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] }));
    const [grandchild] = (await once(group.stdout!, 'data')) as [Buffer];
    const grandchildPid = Number(grandchild.toString().trim());
    expect(liveChildren()).toBe(2);
    expect(killedAll()).toBe(false);

    killChildren();
    expect(killedAll()).toBe(true);
    expect(liveChildren()).toBe(0);
    expect((await once(plain, 'exit'))[1]).toBe('SIGKILL');
    expect((await once(group, 'exit'))[1]).toBe('SIGKILL');
    await expect.poll(() => alive(grandchildPid)).toBe(false);

    // Spawned while the run was being stopped (a browser whose launch was under way): it does not outlive it.
    const late = trackChild(spawn('sleep', ['30'], { stdio: 'ignore' }));
    expect((await once(late, 'exit'))[1]).toBe('SIGKILL');
    expect(liveChildren()).toBe(0);
  });
});

/** Running (a zombie is dead: killed, and left for a PID 1 that may never reap it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
