/** What the pg collector read of the LiteLLM servers table (kept apart so verify/pg/snapshot.ts imports no check). */
export interface RegistryState {
  readonly table: string;
  readonly exists: boolean;
  /** Which of the URL and active columns the table has. */
  readonly columns: readonly string[];
  /** Row level security is on, the verifier does not bypass it and no policy lets it read: rows it cannot see may exist. */
  readonly hiddenByRls: boolean;
  /** Rows the verifier sees. */
  readonly rows: number;
  /** Rows whose URL is the spec's (trailing slashes and case aside). */
  readonly matching: number;
  /** Matching rows whose active column is true; undefined without an active column. */
  readonly activeMatching?: number;
  /** Up to five other URLs the table holds, for the message. */
  readonly others: readonly string[];
}
