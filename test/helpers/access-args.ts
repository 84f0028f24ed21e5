import type { AccessArgs } from '../../infra/providers/postgres/types.js';

/** The passwords a test file's access resources use; each file has its own (never printed, always asserted absent). */
export interface AccessPasswords {
  readonly admin: string;
  readonly app: string;
  readonly verifier: string;
}

/**
 * The access resource's inputs as the program gives them for a test server and database: master as admin,
 * the app and verifier roles named after `roles`, the usual tables with RLS and an append-only audit table.
 */
export function accessArgs(server: { readonly host: string; readonly port: number }, database: string, roles: string, passwords: AccessPasswords, tables: readonly string[] = ['audit_events', 'messages']): AccessArgs {
  return {
    host: server.host,
    port: server.port,
    database,
    adminUser: 'master',
    adminPassword: passwords.admin,
    sslmode: 'disable',
    appRole: `app_${roles}`,
    appPassword: passwords.app,
    verifierRole: `verifier_${roles}`,
    verifierPassword: passwords.verifier,
    tables: [...tables],
    rls: ['messages'],
    appendOnly: ['audit_events'],
  };
}
