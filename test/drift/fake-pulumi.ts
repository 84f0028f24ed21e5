import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory holding a `pulumi` script that behaves like `pulumi refresh --preview-only --expect-no-changes`:
 * FAKE_PULUMI_EXIT picks the outcome (0 no changes, 7 changes, else an error), and it logs its
 * arguments and working directory to FAKE_PULUMI_LOG.
 */
export function fakePulumiDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-fake-pulumi-'));
  const script = `#!/bin/sh
{ printf '%s\\n' "$@"; pwd; } > "$FAKE_PULUMI_LOG"
case "$FAKE_PULUMI_EXIT" in
  0) printf 'Previewing refresh (live)\\n\\nResources:\\n    5 unchanged\\n\\nDuration: 2s\\n'; exit 0 ;;
  7) printf 'Previewing refresh (live)\\n\\n     Type              Name  Plan\\n ~   aws:rds:Instance  db    update\\n\\nResources:\\n    ~ 1 to update\\n    4 unchanged\\n\\nDuration: 3s\\n'; exit 7 ;;
  sleep) sleep 5; exit 0 ;;
  *) printf "error: no stack named 'live' found.\\n" >&2; exit 255 ;;
esac
`;
  writeFileSync(join(dir, 'pulumi'), script);
  chmodSync(join(dir, 'pulumi'), 0o755);
  return dir;
}
