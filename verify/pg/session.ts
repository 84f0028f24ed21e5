import type pg from 'pg';
import type { QualifiedName } from '../../spec/index.js';
import type { Probe } from '../types.js';
import { firstLine } from './connection.js';

/**
 * The comment every statement prodcheck sends carries, right after its first keyword (where
 * pg_stat_statements keeps it in the statement's text on every server version). readStatements leaves
 * out the statements that carry it, so prodcheck never judges its own catalogue queries, even when
 * the targets file logs it in as the app role.
 */
export const STATEMENT_MARKER = '/* prodcheck */';

/** `SELECT ...` becomes `SELECT /* prodcheck *\/ ...`. */
export function marked(sql: string): string {
  return sql.replace(/^(\s*[A-Za-z]+)/, `$1 ${STATEMENT_MARKER}`);
}

/** Runs each probe in a savepoint so one refused or failing query does not abort the read-only transaction. */
export class Session {
  private lost: string | undefined;
  constructor(
    readonly client: pg.Client,
    readonly verifier: string,
  ) {}

  ident(name: string): string {
    return this.client.escapeIdentifier(name);
  }

  table(q: QualifiedName): string {
    return `${this.ident(q.schema)}.${this.ident(q.name)}`;
  }

  async rows<R>(sql: string, values: readonly unknown[] = []): Promise<R[]> {
    const result = await this.client.query(marked(sql), values as unknown[]);
    return result.rows as R[];
  }

  /** `grant` names what the verifier role needs when Postgres answers "permission denied". */
  async probe<T>(grant: string | undefined, run: () => Promise<T>): Promise<Probe<T>> {
    if (this.lost !== undefined) return { ok: false, error: `not read: the connection was lost earlier (${this.lost})` };
    await this.client.query(marked('SAVEPOINT prodcheck_probe'));
    try {
      const value = await run();
      await this.client.query(marked('RELEASE SAVEPOINT prodcheck_probe'));
      return { ok: true, value };
    } catch (e) {
      const denied = (e as { code?: unknown }).code === '42501';
      const error = `${firstLine(e)}${denied && grant ? `: ${grant} to "${this.verifier}"` : ''}`;
      try {
        await this.client.query(marked('ROLLBACK TO SAVEPOINT prodcheck_probe'));
      } catch (again) {
        this.lost = firstLine(again);
      }
      return { ok: false, error };
    }
  }
}
