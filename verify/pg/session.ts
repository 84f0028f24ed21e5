import type pg from 'pg';
import type { QualifiedName } from '../../spec/index.js';
import type { Probe } from '../types.js';
import { firstLine } from './connection.js';

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
    const result = await this.client.query(sql, values as unknown[]);
    return result.rows as R[];
  }

  /** `grant` names what the verifier role needs when Postgres answers "permission denied". */
  async probe<T>(grant: string | undefined, run: () => Promise<T>): Promise<Probe<T>> {
    if (this.lost !== undefined) return { ok: false, error: `not read: the connection was lost earlier (${this.lost})` };
    await this.client.query('SAVEPOINT prodcheck_probe');
    try {
      const value = await run();
      await this.client.query('RELEASE SAVEPOINT prodcheck_probe');
      return { ok: true, value };
    } catch (e) {
      const denied = (e as { code?: unknown }).code === '42501';
      const error = `${firstLine(e)}${denied && grant ? `: ${grant} to "${this.verifier}"` : ''}`;
      try {
        await this.client.query('ROLLBACK TO SAVEPOINT prodcheck_probe');
      } catch (again) {
        this.lost = firstLine(again);
      }
      return { ok: false, error };
    }
  }
}
