export { ProjectSettings, SUPABASE_PROVIDERS } from './resources.js';
export type { ProjectSettingsInputs, SupabaseConnectionArgs } from './resources.js';
export { applySettings, projectSettingsProvider, readSettings } from './settings.js';
export type { ProjectSettingsArgs, ProjectSettingsState } from './settings.js';
export type { SupabaseConnection } from './api.js';
