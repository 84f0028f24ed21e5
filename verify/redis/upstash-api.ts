import { z } from 'zod';
import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, plainErrorText } from '../net.js';

export type UpstashApiTarget = NonNullable<Targets['upstash']>;

/** A Developer API answer is one small JSON object: anything near this size is not Upstash talking. */
export const MAX_UPSTASH_API_BYTES = 256 * 1024;

/** An Upstash Developer API call that failed: the HTTP status (when there was one), Upstash's own words, what to do. */
export class UpstashApiError extends ApiError {
  override readonly name = 'UpstashApiError';
}

/**
 * The fields of GET /v2/redis/database/{id} that verify judges (https://upstash.com/docs/devops/developer-api/redis/get_database).
 * Every field is optional on the wire: one Upstash leaves out is reported as unknown, never assumed; one of the wrong
 * type is an answer verify cannot read. Credentials (password, rest tokens) are not read at all.
 */
const wireDatabase = z.object({
  database_id: z.string(),
  database_name: z.string().optional(),
  database_type: z.string().optional(),
  type: z.string().optional(),
  region: z.string().optional(),
  primary_region: z.string().optional(),
  read_regions: z.array(z.string()).nullable().optional(),
  state: z.string().optional(),
  tls: z.boolean().optional(),
  eviction: z.boolean().optional(),
  consistent: z.boolean().optional(),
  daily_backup_enabled: z.boolean().optional(),
  db_memory_threshold: z.number().optional(),
  db_disk_threshold: z.number().optional(),
  db_max_commands_per_second: z.number().optional(),
  db_max_request_size: z.number().optional(),
  db_max_clients: z.number().optional(),
});

/** One Upstash Redis database as the Developer API describes it. */
export interface UpstashDatabase {
  readonly id: string;
  readonly name: string | undefined;
  /** active, or deleted. */
  readonly state: string | undefined;
  /** A region name, or "global" for a global database (whose primary is primaryRegion). */
  readonly region: string | undefined;
  readonly primaryRegion: string | undefined;
  readonly readRegions: readonly string[];
  readonly tls: boolean | undefined;
  readonly eviction: boolean | undefined;
  readonly dailyBackup: boolean | undefined;
  /** Pricing plan: database_type ("Free", "Pay as You Go", "Pro 2K"...) or, in newer answers, type ("free", "payg", "paid"). */
  readonly plan: string | undefined;
  /** Plan limits, as Upstash reports them. */
  readonly limits: {
    readonly maxDataBytes: number | undefined;
    readonly memoryBytes: number | undefined;
    readonly maxCommandsPerSecond: number | undefined;
    readonly maxRequestBytes: number | undefined;
    readonly maxClients: number | undefined;
  };
}

/** The Upstash Developer API (https://api.upstash.com/v2) over prodcheck's bounded fetch: HTTP Basic email:apiKey, timeoutMs per call, body capped. */
export class UpstashApiClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: UpstashApiTarget,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Upstash Developer API', { timeoutMs: target.timeoutMs, maxBytes: MAX_UPSTASH_API_BYTES });
    this.base = (target.baseUrl ?? 'https://api.upstash.com').replace(/\/+$/, '');
  }

  /** The database, or null when Upstash has none with that id. `credentials=hide` keeps its password and tokens out of the answer. */
  async database(id: string): Promise<UpstashDatabase | null> {
    const url = `${this.base}/v2/redis/database/${encodeURIComponent(id)}?credentials=hide`;
    const auth = Buffer.from(`${this.target.email}:${this.target.apiKey}`).toString('base64');
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { headers: { authorization: `Basic ${auth}`, accept: 'application/json' }, signal: this.signal });
    } catch (e) {
      throw new UpstashApiError(undefined, `could not reach the Upstash Developer API at ${this.base} reading database ${id}: ${describeError(e)}`);
    }
    try {
      text = await res.text();
    } catch (e) {
      throw new UpstashApiError(res.status, `could not read the Upstash Developer API's answer for database ${id}: ${describeError(e)}`);
    }
    const said = text.trim() === '' ? '' : `: ${plainErrorText(text)}`;
    if (res.status === 404) return null;
    if (res.status === 401 || res.status === 403) {
      throw new UpstashApiError(res.status, `the Upstash Developer API refused the credentials reading database ${id} (HTTP ${res.status}${said}): set targets upstash.email and upstash.apiKey to an account email and a Developer API key of the team that owns the database`);
    }
    if (!res.ok) throw new UpstashApiError(res.status, `the Upstash Developer API answered HTTP ${res.status}${said} reading database ${id}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstashApiError(res.status, `the Upstash Developer API answered database ${id} with a body that is not JSON`);
    }
    const parsed = wireDatabase.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.join('.') || 'the body';
      throw new UpstashApiError(res.status, `the Upstash Developer API answered database ${id} with an unexpected ${at} (${issue?.message ?? 'invalid'})`);
    }
    const d = parsed.data;
    if (d.database_id !== id) throw new UpstashApiError(res.status, `the Upstash Developer API answered database ${id} with database ${d.database_id}`);
    return {
      id: d.database_id,
      name: d.database_name,
      state: d.state,
      region: d.region,
      primaryRegion: d.primary_region,
      readRegions: d.read_regions ?? [],
      tls: d.tls,
      eviction: d.eviction,
      dailyBackup: d.daily_backup_enabled,
      plan: d.database_type ?? d.type,
      limits: {
        maxDataBytes: d.db_disk_threshold,
        memoryBytes: d.db_memory_threshold,
        maxCommandsPerSecond: d.db_max_commands_per_second,
        maxRequestBytes: d.db_max_request_size,
        maxClients: d.db_max_clients,
      },
    };
  }
}
