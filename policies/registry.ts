import { APP_POLICIES } from './app.js';
import { BILLING_POLICIES } from './billing.js';
import { CACHE_HARDENING_POLICIES } from './cache-hardening.js';
import { CACHE_POLICIES } from './cache.js';
import { DATABASE_POLICIES } from './database.js';
import { ENV_POLICIES } from './env.js';
import { KMS_POLICIES } from './kms.js';
import type { PackPolicy } from './lib/define.js';
import { LIVE_KEY_POLICIES } from './live-keys.js';
import { RDS_HARDENING_POLICIES } from './rds-hardening.js';
import { REPO_POLICIES } from './repo.js';
import { SECRET_POLICIES } from './secrets.js';

export type { PackPolicy } from './lib/define.js';

/** The pack's policies by the file that registers them: the G-stage coverage of `prodcheck controls`. */
export const AREAS: readonly { readonly source: string; readonly policies: readonly PackPolicy[] }[] = [
  { source: 'policies/database.ts', policies: DATABASE_POLICIES },
  { source: 'policies/cache.ts', policies: CACHE_POLICIES },
  { source: 'policies/env.ts', policies: ENV_POLICIES },
  { source: 'policies/secrets.ts', policies: SECRET_POLICIES },
  { source: 'policies/live-keys.ts', policies: LIVE_KEY_POLICIES },
  { source: 'policies/billing.ts', policies: BILLING_POLICIES },
  { source: 'policies/app.ts', policies: APP_POLICIES },
  { source: 'policies/repo.ts', policies: REPO_POLICIES },
  { source: 'policies/rds-hardening.ts', policies: RDS_HARDENING_POLICIES },
  { source: 'policies/cache-hardening.ts', policies: CACHE_HARDENING_POLICIES },
  { source: 'policies/kms.ts', policies: KMS_POLICIES },
];

export const POLICIES: readonly PackPolicy[] = AREAS.flatMap((a) => a.policies);

export const PACK_NAME = 'prodcheck';
