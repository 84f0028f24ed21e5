import type { TargetFamily } from '../types.js';
import { SUPABASE_CHECKS } from './checks.js';
import type { SupabaseSnapshot } from './collect.js';
import { supabaseCollector } from './collect.js';

export const supabaseFamily: TargetFamily<SupabaseSnapshot> = { collector: supabaseCollector, checks: SUPABASE_CHECKS };

export * from './checks.js';
export { supabaseCollector } from './collect.js';
export type { Backups, NetworkRestrictions, Pooler, ProjectKey, SslEnforcement, SupabaseProject, SupabaseSnapshot } from './collect.js';
