// Preloaded (`node --import`) into the policy pack's process: hands the stack config to the Pulumi runtime
// the pack will load (resolved from the pack's directory, as run-policy-pack is), from the file named by
// PRODCHECK_PULUMI_CONFIG_FILE. The engine passes it in PULUMI_CONFIG, but a large stack's config does not
// fit in one environment string (Linux caps each at 128 KiB), and every process the pack starts (its
// TypeScript loader's compiler) would inherit it: spawn fails with E2BIG. Plain JavaScript: it runs
// before any loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const file = process.env.PRODCHECK_PULUMI_CONFIG_FILE;
if (file) {
  delete process.env.PRODCHECK_PULUMI_CONFIG_FILE;
  const { config, secretKeys } = JSON.parse(readFileSync(file, 'utf8'));
  const runtime = createRequire(join(process.cwd(), 'package.json'))('@pulumi/pulumi/runtime/config.js');
  runtime.setAllConfig(config, secretKeys);
}
