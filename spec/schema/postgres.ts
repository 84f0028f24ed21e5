import { z } from 'zod';
import { positiveInt, qualifiedName, sqlIdent } from './common.js';

/** A statement of pg_stat_statements: by its queryid, or by a regular expression (case-insensitive) on its normalized text. */
const statementFields = {
  queryid: z.string().regex(/^-?\d+$/, { message: 'must be a pg_stat_statements queryid (an integer)' }).optional(),
  match: z.string().min(1).optional(),
};

function checkStatementRef(r: { readonly queryid?: string | undefined; readonly match?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((r.queryid === undefined) === (r.match === undefined)) ctx.addIssue({ code: 'custom', message: 'needs exactly one of queryid and match' });
  if (r.match !== undefined) {
    try {
      new RegExp(r.match, 'i');
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['match'], message: `is not a valid regular expression (${(e as Error).message})` });
    }
  }
}

const statementRef = z.strictObject(statementFields).superRefine(checkStatementRef);
const statementBudget = z.strictObject({ ...statementFields, maxMs: z.number().positive() }).superRefine(checkStatementRef);

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { message: 'must be an IPv4 CIDR such as 10.0.0.0/16' });

export const postgresSchema = z
  .strictObject({
    provider: z.enum(['rds', 'supabase', 'neon', 'self-hosted']).default('rds'),
    database: sqlIdent.default('app'),
    engineVersion: z.string().default('16'),
    instanceClass: z.string().default('db.t4g.medium'),
    allocatedStorageGb: positiveInt.default(20),
    multiAz: z.boolean().default(true),
    /** TLS required for every connection (rds.force_ssl=1, sslmode=require). */
    tls: z.boolean().default(true),
    migrations: z
      .strictObject({
        table: qualifiedName.default('migrations'),
        /** The tool that writes the table; recognised from its columns when left out. */
        tool: z.enum(['prisma', 'drizzle', 'knex', 'typeorm', 'sequelize', 'rails', 'flyway', 'liquibase', 'golang-migrate', 'alembic', 'node-pg-migrate', 'supabase']).optional(),
        /** Column holding the migration name; defaults to the tool's own. */
        column: sqlIdent.optional(),
        expected: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    tables: z.array(qualifiedName).default([]),
    functions: z.array(qualifiedName).default([]),
    indexes: z.array(z.strictObject({ table: qualifiedName, columns: z.array(sqlIdent).min(1) })).default([]),
    /** Tables that must enforce row level security on the app role (see pg.rls). */
    rls: z.array(qualifiedName).default([]),
    /** The owner of the rls tables is trusted to bypass their policies: FORCE ROW LEVEL SECURITY is then not required. */
    rlsOwnerTrusted: z.boolean().default(false),
    /** Roles allowed to hold BYPASSRLS with access to the rls tables (e.g. a Supabase service_role or a migration role). */
    rlsBypassRoles: z.array(sqlIdent).default([]),
    /** Tables the app role may only INSERT into and SELECT from. */
    appendOnly: z.array(qualifiedName).default([]),
    appRole: sqlIdent.default('app'),
    verifierRole: sqlIdent.default('prodcheck_verifier'),
    backups: z
      .strictObject({
        retentionDays: z.number().int().min(1).max(35).default(30),
        window: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, { message: 'must be hh:mm-hh:mm (UTC)' }).default('03:00-04:00'),
        /** Newest backup must be younger than this. */
        maxAgeHours: positiveInt.default(26),
      })
      .prefault({}),
    /**
     * AWS Backup restore tests of the RDS instance (pg.backups.restore-test): a backup plan with a daily rule and a
     * restore testing plan that restores the newest recovery point on this schedule; verify wants a completed
     * restore job no older than maxAgeDays, validated when requireValidation is set.
     */
    restoreTest: z
      .strictObject({
        /** When AWS Backup starts a restore test, as an AWS cron() or rate() expression (UTC). */
        scheduleExpression: z
          .string()
          .regex(/^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/, { message: 'must be an AWS schedule expression such as cron(0 5 ? * SUN *) or rate(7 days)' })
          .default('cron(0 5 ? * SUN *)'),
        /** Hours AWS Backup may wait before starting a scheduled test. */
        startWindowHours: z.number().int().min(1).max(168).default(8),
        /** Hours the restored instance is kept for validation before AWS Backup deletes it. */
        validationWindowHours: z.number().int().min(1).max(168).default(4),
        /** The newest completed restore job must be younger than this. */
        maxAgeDays: z.number().int().min(1).max(365).default(31),
        /** A completed restore job must also carry ValidationStatus SUCCESSFUL (a validation Lambda reports it). */
        requireValidation: z.boolean().default(false),
      })
      .optional(),
    /** A read replica of the instance (pg.read-replica); instanceClass defaults to the primary's. */
    readReplica: z.strictObject({ instanceClass: z.string().min(1).optional() }).optional(),
    encryption: z.strictObject({ atRest: z.boolean().default(true), kmsKeyArn: z.string().optional() }).prefault({}),
    network: z
      .strictObject({
        publiclyAccessible: z.boolean().default(false),
        vpcId: z.string().optional(),
        subnetIds: z.array(z.string()).default([]),
        allowedCidrs: z.array(cidr).default([]),
        allowedSecurityGroupIds: z.array(z.string()).default([]),
      })
      .prefault({}),
    pooling: z.strictObject({ enabled: z.boolean().default(true), kind: z.enum(['pgbouncer', 'rds-proxy', 'supabase', 'neon']).default('pgbouncer') }).prefault({}),
    /** Used connections must stay below this share of max_connections. */
    maxConnectionUsePct: z.number().min(1).max(100).default(80),
    /** Mean execution time budget per statement in pg_stat_statements. */
    queryLatencyMs: z.number().positive().default(100),
    deletionProtection: z.boolean().default(true),
    /** Columns that must hold only hashes (bcrypt/argon2/sha256 hex), never plaintext secrets. */
    hashedColumns: z.array(z.strictObject({ table: qualifiedName, column: sqlIdent, format: z.enum(['bcrypt', 'argon2', 'sha256', 'any']).default('any') })).default([]),
    /** Statements with their own mean time budget instead of queryLatencyMs; the first entry that matches wins. */
    queryBudgets: z.array(statementBudget).default([]),
    /** Statements pg.query-latency does not judge (a nightly report, a known slow admin query). */
    queryExclude: z.array(statementRef).default([]),
    /** A statement's mean is judged only after this many calls; fewer say too little. */
    queryLatencyMinCalls: positiveInt.default(3),
  })
  .superRefine((pg, ctx) => {
    if (pg.provider !== 'rds') {
      for (const field of ['restoreTest', 'readReplica'] as const) {
        if (pg[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is provisioned and checked on RDS only (provider is ${pg.provider})` });
      }
    }
    if (pg.restoreTest && pg.restoreTest.maxAgeDays * 24 < pg.restoreTest.startWindowHours) {
      ctx.addIssue({ code: 'custom', path: ['restoreTest', 'maxAgeDays'], message: 'must leave room for the start window (startWindowHours)' });
    }
    if (pg.network.publiclyAccessible === false && pg.network.allowedCidrs.includes('0.0.0.0/0')) {
      ctx.addIssue({ code: 'custom', path: ['network', 'allowedCidrs'], message: 'contains 0.0.0.0/0, which opens the database to the internet' });
    }
    if (pg.appRole === pg.verifierRole) {
      ctx.addIssue({ code: 'custom', path: ['verifierRole'], message: `must differ from appRole ("${pg.appRole}"): the verifier is read-only` });
    }
    const tables = new Set(pg.tables);
    for (const [field, list] of [['rls', pg.rls], ['appendOnly', pg.appendOnly]] as const) {
      list.forEach((t, i) => {
        if (tables.size > 0 && !tables.has(t)) ctx.addIssue({ code: 'custom', path: [field, i], message: `names table "${t}", which postgres.tables does not list` });
      });
    }
  });

export type PostgresSpec = z.output<typeof postgresSchema>;

/** A table or function as the spec writes it: `public.audit_events`, or `audit_events` in schema public. */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

/** Names are case-sensitive as written ("User" is not "user"). */
export function parseQualified(name: string): QualifiedName {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: 'public', name } : { schema: name.slice(0, dot), name: name.slice(dot + 1) };
}

export function keyOf(q: QualifiedName): string {
  return `${q.schema}.${q.name}`;
}
