/**
 * A resource the program registered, as the engine would hand it to an analyzer: inputs in wire form
 * (secrets as the `4dabf18193072939515e22adb298388d` signature objects, values not known at preview as
 * the unknown sentinels), with the dependency graph and options of its RegisterResource request.
 */
export interface CollectedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The explicit provider reference (`<urn>::<id>`), or absent for the package's default provider. */
  readonly provider?: string;
  /** The package version the SDK asked for: names the default provider as the engine does. */
  readonly version?: string;
  readonly options: {
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
    readonly aliases: readonly string[];
    readonly deleteBeforeReplace?: boolean;
    readonly customTimeouts?: { readonly create: number; readonly update: number; readonly delete: number };
  };
}

/** What the child process is asked to run. */
export interface CollectRequest {
  /** Absolute path of the program's entry (infra/index.ts). */
  readonly program: string;
  readonly project: string;
  readonly stack: string;
  /** Flat Pulumi config, `namespace:key` to string (objects as JSON), as the engine passes it. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

export interface CollectResult {
  readonly resources: readonly CollectedResource[];
  /** The message of a `pulumi.RunError` the program threw (it rejects the stack's config that way). */
  readonly runError?: string;
}
