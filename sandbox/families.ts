import { checklySandbox } from './checkly/index.js';
import { datadogSandbox } from './datadog/index.js';
import { dnsSandbox } from './dns/index.js';
import { githubSandbox } from './github/index.js';
import { httpSandbox } from './http/index.js';
import { litellmSandbox } from './litellm/index.js';
import { neonSandbox } from './neon/index.js';
import { pgSandbox } from './pg/index.js';
import { redisSandbox } from './redis/index.js';
import { repoSandbox } from './repo/index.js';
import { resendSandbox } from './resend/index.js';
import { sentrySandbox } from './sentry/index.js';
import { stripeSandbox } from './stripe/index.js';
import { supabaseSandbox } from './supabase/index.js';
import type { SandboxFamily } from './types.js';
import { vercelSandbox } from './vercel/index.js';

/** Every piece of the local stack; each starts only when the profile's stack has a section for it. */
export const SANDBOX_FAMILIES: readonly SandboxFamily[] = [pgSandbox, redisSandbox, stripeSandbox, repoSandbox, dnsSandbox, httpSandbox, vercelSandbox, githubSandbox, sentrySandbox, checklySandbox, litellmSandbox, resendSandbox, supabaseSandbox, neonSandbox, datadogSandbox];
