/** Migration history tables of the tools people use: what pg.migrations judges. */
import type { QualifiedName } from '../../spec/index.js';
import type { Session } from './session.js';
import type { MigrationsState, MigrationTool } from './snapshot.js';

/**
 * How each tool records its history (the tables the tools create on PostgreSQL). `columns` recognise
 * the table; `name` is the migration's name as the spec lists it; `order` sorts attempts so the last one
 * of a name decides; `state` classifies a row as applied or as why not. Tools that keep only a
 * version pointer (golang-migrate, Alembic) have `pointer` instead.
 */
interface Layout {
  readonly label: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly name?: string;
  readonly order?: string;
  /** SQL yielding 'applied' or the reason a row does not count. */
  readonly state?: string;
  readonly pointer?: { readonly version: string; readonly dirty?: string };
}

export const MIGRATION_TOOLS: Readonly<Record<MigrationTool, Layout>> = {
  prisma: {
    label: 'Prisma',
    table: '_prisma_migrations',
    columns: ['migration_name', 'finished_at', 'rolled_back_at', 'started_at'],
    name: 'migration_name',
    order: 'started_at',
    state: `CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled back' WHEN finished_at IS NULL THEN 'failed' ELSE 'applied' END`,
  },
  // Drizzle records no name: the hash of each migration's SQL, and its journal timestamp in created_at.
  drizzle: { label: 'Drizzle', table: 'drizzle.__drizzle_migrations', columns: ['hash', 'created_at'], name: 'hash', order: 'id' },
  knex: { label: 'Knex', table: 'knex_migrations', columns: ['name', 'batch', 'migration_time'], name: 'name', order: 'id' },
  typeorm: { label: 'TypeORM', table: 'migrations', columns: ['timestamp', 'name'], name: 'name', order: 'id' },
  sequelize: { label: 'Sequelize', table: 'SequelizeMeta', columns: ['name'], name: 'name' },
  rails: { label: 'Rails', table: 'schema_migrations', columns: ['version'], name: 'version' },
  flyway: {
    label: 'Flyway',
    table: 'flyway_schema_history',
    columns: ['installed_rank', 'version', 'script', 'success', 'type'],
    name: 'coalesce(version, script)',
    order: 'installed_rank',
    // An undo row undoes its version; a DELETE row (flyway repair) marks it deleted.
    state: `CASE WHEN NOT success THEN 'failed' WHEN type LIKE 'UNDO%' THEN 'undone' WHEN type = 'DELETE' THEN 'deleted' ELSE 'applied' END`,
  },
  liquibase: {
    label: 'Liquibase',
    table: 'databasechangelog',
    columns: ['id', 'author', 'filename', 'orderexecuted', 'exectype'],
    name: 'id',
    order: 'orderexecuted',
    state: `CASE WHEN exectype IN ('EXECUTED', 'RERAN', 'MARK_RAN') THEN 'applied' WHEN exectype = 'FAILED' THEN 'failed' ELSE lower(exectype) END`,
  },
  'golang-migrate': { label: 'golang-migrate', table: 'schema_migrations', columns: ['version', 'dirty'], pointer: { version: 'version', dirty: 'dirty' } },
  alembic: { label: 'Alembic', table: 'alembic_version', columns: ['version_num'], pointer: { version: 'version_num' } },
  'node-pg-migrate': { label: 'node-pg-migrate', table: 'pgmigrations', columns: ['name', 'run_on'], name: 'name', order: 'id' },
  supabase: { label: 'Supabase', table: 'supabase_migrations.schema_migrations', columns: ['version', 'statements'], name: 'version' },
};

/** Most specific first: a table with version and dirty is golang-migrate's, not Rails'. */
const DETECTION_ORDER: readonly MigrationTool[] = ['prisma', 'flyway', 'liquibase', 'golang-migrate', 'supabase', 'drizzle', 'knex', 'typeorm', 'node-pg-migrate', 'alembic', 'sequelize', 'rails'];

/** The tool whose layout the table's columns (and, for the generic ones, its name) match. */
export function detectTool(table: QualifiedName, columns: ReadonlySet<string>): MigrationTool | undefined {
  return DETECTION_ORDER.find((tool) => {
    const layout = MIGRATION_TOOLS[tool];
    if (!layout.columns.every((c) => columns.has(c))) return false;
    // One-column layouts say too little on their own: the table name must match too.
    if (layout.columns.length === 1) return table.name === (layout.table.split('.').pop() ?? '');
    return true;
  });
}

export async function readMigrations(s: Session, table: QualifiedName, opts: { tool?: MigrationTool; column?: string }): Promise<MigrationsState> {
  const cols = await s.rows<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.schema, table.name],
  );
  if (cols.length === 0) return { exists: false, ...(opts.tool ? { tool: opts.tool, toolLabel: MIGRATION_TOOLS[opts.tool].label } : {}), applied: [], notApplied: [] };
  const have = new Set(cols.map((c) => c.name));
  const tool = opts.tool ?? detectTool(table, have);
  const layout = tool === undefined ? undefined : MIGRATION_TOOLS[tool];
  const missingColumns = layout ? layout.columns.filter((c) => !have.has(c)) : [];
  if (layout && missingColumns.length > 0) throw new Error(`${table.schema}.${table.name} is not a ${layout.label} table: it has no column ${missingColumns.join(', ')}`);
  if (layout?.pointer && opts.column === undefined) {
    const p = layout.pointer;
    const rows = await s.rows<{ version: string; dirty: boolean }>(
      `SELECT ${s.ident(p.version)}::text AS version, ${p.dirty ? s.ident(p.dirty) : 'false'} AS dirty FROM ${s.table(table)} ORDER BY 1`,
    );
    return { exists: true, ...(tool ? { tool, toolLabel: MIGRATION_TOOLS[tool].label } : {}), applied: [], notApplied: [], pointer: rows };
  }
  const column = opts.column ?? layout?.name;
  if (column === undefined) throw new Error(`cannot tell which tool wrote ${table.schema}.${table.name} (columns ${[...have].sort().join(', ')}): set postgres.migrations.tool or column`);
  const nameExpr = opts.column !== undefined ? s.ident(opts.column) : column;
  const state = layout?.state ?? `'applied'`;
  const order = layout?.order !== undefined && have.has(layout.order) ? s.ident(layout.order) : 'NULL::int';
  // The last attempt of each name decides: a migration re-applied after a rollback counts as applied.
  const rows = await s.rows<{ name: string; state: string }>(
    `SELECT DISTINCT ON (name) name, state
       FROM (SELECT (${nameExpr})::text AS name, ${state} AS state, ${order} AS ord FROM ${s.table(table)}) AS attempts
      WHERE name IS NOT NULL
      ORDER BY name, ord DESC NULLS LAST, (state = 'applied') DESC
      LIMIT 100000`,
  );
  return {
    exists: true,
    ...(tool ? { tool, toolLabel: MIGRATION_TOOLS[tool].label } : {}),
    applied: rows.filter((r) => r.state === 'applied').map((r) => r.name),
    notApplied: rows.filter((r) => r.state !== 'applied').map((r) => ({ name: r.name, state: r.state })),
  };
}
