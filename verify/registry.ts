import { awsFamily } from './aws/index.js';
import { checklyFamily } from './checkly/index.js';
import { datadogFamily } from './datadog/index.js';
import { dnsFamily } from './dns/index.js';
import { githubFamily } from './github/index.js';
import { httpFamily } from './http/index.js';
import { litellmFamily } from './litellm/index.js';
import { neonFamily } from './neon/index.js';
import { perfFamily } from './perf/index.js';
import { pgFamily } from './pg/index.js';
import { redisFamily, upstashFamily } from './redis/index.js';
import { repoFamily } from './repo/index.js';
import { resendFamily } from './resend/index.js';
import { sentryFamily } from './sentry/index.js';
import { stripeFamily } from './stripe/index.js';
import { supabaseFamily } from './supabase/index.js';
import type { TargetFamily } from './types.js';
import { vercelFamily } from './vercel/index.js';

/** Every target family verify knows. Each family's checks carry catalogue ids; coverage is computed from them. */
export const FAMILIES: readonly TargetFamily<unknown>[] = [pgFamily, redisFamily, stripeFamily, httpFamily, vercelFamily, supabaseFamily, neonFamily, awsFamily, repoFamily, dnsFamily, githubFamily, sentryFamily, checklyFamily, upstashFamily, litellmFamily, resendFamily, perfFamily, datadogFamily] as readonly TargetFamily<unknown>[];
