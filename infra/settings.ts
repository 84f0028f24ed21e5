import * as pulumi from '@pulumi/pulumi';

/**
 * Config outside the prodcheck namespace that the program reads. Secrets never go in the prodcheck
 * namespace (it describes desired state); they live here, set with `pulumi config set --secret`.
 */
export const SETTINGS = {
  /** `env:<KEY>`: the value of an env var sourced `from: config`. */
  env: 'env',
  /** `postgres:adminUrl`: an owner login for a database the program does not create (Supabase, Neon, self-hosted). */
  postgresAdminUrl: 'postgres:adminUrl',
  /** `postgres:adminEndpoint`: host:port the access provider connects through instead (an SSM or SSH tunnel to a VPC-only database). */
  postgresAdminEndpoint: 'postgres:adminEndpoint',
  /**
   * `postgres:accessVia`: where the Postgres access rules are applied from. `direct` (default): the
   * machine running `pulumi up`, through `postgres:adminEndpoint` if set. `lambda`: a Lambda the program
   * puts in the RDS database's VPC, for a private database (the first `up` from a laptop or a
   * GitHub-hosted runner has no route to it).
   */
  postgresAccessVia: 'postgres:accessVia',
  /** `postgres:caCert`: PEM bundle to verify the database's certificate (e.g. the RDS global bundle); without it TLS is not verified. */
  postgresCaCert: 'postgres:caCert',
  /**
   * `app:previousNames`: earlier values of prodcheck:app.name, comma-separated. Resources are named after
   * the app; after a rename the components take aliases from these names, so nothing is recreated.
   */
  appPreviousNames: 'app:previousNames',
  /** `vercel:apiToken`: the Vercel provider's token (or VERCEL_API_TOKEN in the environment). */
  vercelApiToken: 'vercel:apiToken',
  /** `vercel:logDrainAuthorization`: the Authorization header the log drain sends its sink (e.g. `Bearer <source token>`). */
  vercelLogDrainAuthorization: 'vercel:logDrainAuthorization',
  /** `supabase:accessToken`: a Management API token that may change the project's settings (secret). */
  supabaseAccessToken: 'supabase:accessToken',
  /** `supabase:baseUrl`: another Management API root (the local one in tests and the sandbox). */
  supabaseBaseUrl: 'supabase:baseUrl',
  /** `neon:projectId`: the Neon project whose settings the program holds to the spec. */
  neonProjectId: 'neon:projectId',
  /** `neon:apiKey`: a Neon API key that may change the project (secret). */
  neonApiKey: 'neon:apiKey',
  /** `neon:branch`: the production branch by name or id. */
  neonBranch: 'neon:branch',
  /** `neon:baseUrl`: another Neon API root (the local one in tests and the sandbox). */
  neonBaseUrl: 'neon:baseUrl',
  /** `datadog:apiKey` and `datadog:appKey`: the organization's API and application keys (secrets). */
  datadogApiKey: 'datadog:apiKey',
  datadogAppKey: 'datadog:appKey',
} as const;

/** One plain config value by its full key (`ns:name`), undefined when unset. Read secrets with {@link secretSetting}. */
export function setting(fullKey: string): string | undefined {
  return pulumi.runtime.allConfig()[fullKey];
}

/** A secret config value as a secret Output. */
export function secretSetting(fullKey: string): pulumi.Output<string> {
  const [ns, name] = fullKey.split(/:(.*)/s, 2) as [string, string];
  return new pulumi.Config(ns).requireSecret(name);
}

/**
 * Whether a config key was set with --secret. The SDK exports this at run time (Config.get uses it to
 * warn) but marks it internal, so it is absent from the type declarations.
 */
export function isSecretSetting(fullKey: string): boolean {
  return (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(fullKey);
}
