import * as github from '@pulumi/github';
import * as pulumi from '@pulumi/pulumi';
import type { CiSpec } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';

export const CI = provisions('infra/components/ci.ts', ['ci.required-checks']);

export interface CiArgs {
  readonly spec: CiSpec;
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
}

/**
 * The production branch's protection on GitHub: every check of `ci.requiredChecks` must pass (on a branch
 * up to date with it) before a merge, and the branch cannot be force-pushed or deleted. The GitHub
 * provider authenticates with GITHUB_TOKEN (or `pulumi config set --secret github:token`), as it
 * documents; the owner comes from the spec's repository.
 */
export class Ci extends pulumi.ComponentResource {
  readonly protectionId: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(CI);

  constructor(name: string, args: CiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:ci:Ci', name, {}, opts);
    const provider = new github.Provider(`${name}-github`, { owner: args.owner }, { parent: this });
    const protection = new github.BranchProtection(
      `${name}-${args.branch}`,
      {
        repositoryId: args.repo,
        pattern: args.branch,
        requiredStatusChecks: [{ strict: true, contexts: [...args.spec.requiredChecks] }],
        allowsDeletions: false,
        allowsForcePushes: false,
      },
      // GitHub holds one rule per pattern: a replacement must delete the old rule before creating the new one.
      { parent: this, provider, deleteBeforeReplace: true },
    );
    this.provisioned.claim('ci.required-checks');
    this.protectionId = protection.id;
    this.registerOutputs({ protectionId: this.protectionId });
  }
}
