import type * as BackupSdk from '@aws-sdk/client-backup';

/** One AWS Backup restore job of the RDS instance, reduced to what pg.backups.restore-test judges. */
export interface RestoreJob {
  readonly id: string;
  /** PENDING, RUNNING, COMPLETED, ABORTED, FAILED. */
  readonly status: string;
  readonly statusMessage: string | undefined;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly completedAt: number | undefined;
  /** SUCCESSFUL, FAILED, TIMED_OUT, VALIDATING; undefined when nothing reported a validation result. */
  readonly validationStatus: string | undefined;
  readonly validationMessage: string | undefined;
  /** The restore testing plan that started it, if one did. */
  readonly restoreTestingPlanArn: string | undefined;
}

/** Bounds the listing: 10 pages of 100 jobs of one instance cover years of weekly tests. */
const RESTORE_JOB_PAGES = 10;

export const backupSdk = () => import('@aws-sdk/client-backup');

/**
 * The restore jobs of one RDS instance created since `since` (epoch ms), newest first: ListRestoreJobs for RDS
 * (and the given restore testing plan), kept only where the job restored this instance's recovery points.
 * Past RESTORE_JOB_PAGES pages it throws rather than judge a partial list.
 */
export async function readRestoreJobs(
  sdk: typeof BackupSdk,
  backup: BackupSdk.BackupClient,
  instanceArn: string,
  since: number,
  planArn: string | undefined,
  signal: AbortSignal,
): Promise<RestoreJob[]> {
  const jobs: RestoreJob[] = [];
  let token: string | undefined;
  for (let page = 0; ; page++) {
    if (page === RESTORE_JOB_PAGES) throw new Error(`backup:ListRestoreJobs ran past ${RESTORE_JOB_PAGES * 100} restore jobs since ${new Date(since).toISOString()}: prodcheck reads no further`);
    const out = await backup.send(
      new sdk.ListRestoreJobsCommand({ ByResourceType: 'RDS', ByCreatedAfter: new Date(since), ...(planArn ? { ByRestoreTestingPlanArn: planArn } : {}), MaxResults: 100, NextToken: token }),
      { abortSignal: signal },
    );
    for (const j of out.RestoreJobs ?? []) {
      if (j.SourceResourceArn !== instanceArn || j.CreationDate === undefined) continue;
      jobs.push({
        id: j.RestoreJobId ?? 'unnamed',
        status: j.Status ?? 'unknown',
        statusMessage: j.StatusMessage,
        createdAt: j.CreationDate.getTime(),
        completedAt: j.CompletionDate?.getTime(),
        validationStatus: j.ValidationStatus,
        validationMessage: j.ValidationStatusMessage,
        restoreTestingPlanArn: j.CreatedBy?.RestoreTestingPlanArn,
      });
    }
    token = out.NextToken;
    if (!token) break;
  }
  return jobs.sort((a, b) => b.createdAt - a.createdAt);
}
