/** The snapshot of a correctly set up database, and helpers, shared by the pg check unit tests. */
import type { PostgresSpec, StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import type { PgSnapshot, PolicyExpr, PolicyInfo, RoleInfo } from '../../../verify/pg/snapshot.js';
import type { Check } from '../../../verify/types.js';

export const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  postgres: {
    migrations: { table: '_prisma_migrations', column: 'migration_name', expected: ['0001_init', '0002_chat', '0003_audit'] },
    tables: ['User', 'Chat', 'Message', 'audit.events'],
    functions: ['match_documents', 'audit.record'],
    indexes: [
      { table: 'Chat', columns: ['userId'] },
      { table: 'Message', columns: ['chatId', 'createdAt'] },
    ],
    rls: ['Chat', 'Message'],
    appendOnly: ['audit.events'],
    hashedColumns: [{ table: 'User', column: 'password', format: 'bcrypt' }],
  },
});

export function withPg(over: Partial<PostgresSpec>): StackSpec {
  if (!spec.postgres) throw new Error('fixture has postgres');
  return { ...spec, postgres: { ...spec.postgres, ...over } };
}

export const db = { host: '10.0.0.5', port: 5432, database: 'app' };
export const table = (schema: string, name: string, rls = false, policies = 0) => ({ schema, name, kind: 'table' as const, rls, forceRls: rls, policies, owner: 'migrator' });
export const role: RoleInfo = { name: 'app', superuser: false, createRole: false, createDb: false, bypassRls: false, owns: [], privilegedMemberOf: [], createOn: [], ownerRoles: [] };

/** What a correctly set up database looks like to the collector. */
export const rowExpr = (text: string): PolicyExpr => ({ text, refsRow: true, refsSession: true });
export const policy = (tableName: string, name: string, over: Partial<PolicyInfo> = {}): PolicyInfo => ({
  schema: 'public',
  table: tableName,
  name,
  permissive: true,
  command: 'ALL',
  roles: ['app'],
  appliesToApp: true,
  using: null,
  withCheck: null,
  ...over,
});

export const clean: PgSnapshot = {
  endpoint: db,
  transport: { tlsOffered: { ok: true, value: true }, plaintext: { ok: true, value: { user: 'app', accepted: false, answer: 'no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption' } } },
  user: 'prodcheck_verifier',
  serverVersion: '16.4',
  sslmode: 'verify-full',
  certCheck: 'full',
  tls: { ok: true, value: { inUse: true, version: 'TLSv1.3' } },
  connections: { ok: true, value: { used: 12, max: 100 } },
  migrations: { ok: true, value: { exists: true, applied: ['0001_init', '0002_chat', '0003_audit'], notApplied: [] } },
  relations: { ok: true, value: [table('audit', 'events'), table('public', 'Chat', true, 1), table('public', 'Message', true, 2), table('public', 'User')] },
  policies: {
    ok: true,
    value: [
      policy('Chat', 'chat_owner', { using: rowExpr('("userId" = (current_setting(\'app.user_id\'::text))::bigint)') }),
      policy('Message', 'message_read', { command: 'SELECT', using: rowExpr('(EXISTS ( SELECT 1 FROM "Chat" c WHERE (c.id = "Message"."chatId")))') }),
      policy('Message', 'message_write', { command: 'INSERT', withCheck: rowExpr('("authorId" = (current_setting(\'app.user_id\'::text))::bigint)') }),
    ],
  },
  rlsBypass: { ok: true, value: [] },
  functions: { ok: true, value: { 'public.match_documents': 1, 'audit.record': 2 } },
  indexes: {
    ok: true,
    value: {
      indexes: [
        { schema: 'public', table: 'Chat', name: 'Chat_pkey', columns: ['id'], valid: true, partial: false },
        { schema: 'public', table: 'Chat', name: 'Chat_userId_idx', columns: ['userId'], valid: true, partial: false },
        { schema: 'public', table: 'Message', name: 'Message_pkey', columns: ['id'], valid: true, partial: false },
        { schema: 'public', table: 'Message', name: 'Message_chatId_createdAt_idx', columns: ['chatId', 'createdAt'], valid: true, partial: false },
      ],
      foreignKeys: [{ schema: 'public', table: 'Message', name: 'Message_chatId_fkey', columns: ['chatId'] }],
    },
  },
  appRole: { ok: true, value: role },
  appendOnly: { ok: true, value: [{ schema: 'audit', table: 'events', update: false, delete: false, truncate: false, viaRoles: [], definers: [] }] },
  statements: {
    ok: true,
    value: {
      installed: true,
      role: 'app',
      roleExists: true,
      database: 'app',
      statements: [
        { queryid: '101', query: 'SELECT * FROM "Chat" WHERE "userId" = $1', calls: 900, meanMs: 0.42 },
        { queryid: '102', query: 'INSERT INTO "Message" ("chatId") VALUES ($1)', calls: 300, meanMs: 12.6 },
      ],
    },
  },
  hashed: { 'public.User.password': { ok: true, value: { table: 'ok', column: 'ok', sampled: 40, notHashed: 0, rlsHidden: false } } },
  pooling: { database: db, pooler: { host: '10.0.0.6', port: 6432, database: 'app' } },
};

export function snap(over: Partial<PgSnapshot>): PgSnapshot {
  return { ...clean, ...over };
}

export function run(check: Check<PgSnapshot>, s: PgSnapshot = clean, sp: StackSpec = spec): [string, string][] {
  return check.evaluate(s, sp).map((f) => [f.status, f.message]);
}

