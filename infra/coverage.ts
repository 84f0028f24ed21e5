import type { Implementation } from '../checklist/index.js';
import { APP_ENV } from './components/app-env.js';
import { BILLING } from './components/billing.js';
import { CACHE } from './components/cache.js';
import { CI } from './components/ci.js';
import { DATADOG } from './components/datadog.js';
import { DATABASE } from './components/database.js';
import { LOG_DRAIN } from './components/log-drain.js';
import { MONITORING } from './components/monitoring.js';
import { UPTIME } from './components/uptime.js';
import type { Provisions } from './provisions.js';
import { implementationsOf } from './provisions.js';

/** Every component module's declaration of the controls it provisions. */
export const PROVISIONS: readonly Provisions[] = [DATABASE, CACHE, BILLING, APP_ENV, CI, MONITORING, LOG_DRAIN, UPTIME, DATADOG];

/** Stage P of the coverage, read from the declarations without running the program. */
export function provisionImplementations(): Implementation[] {
  return implementationsOf(PROVISIONS);
}
