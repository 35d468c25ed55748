// The archiveRetention workflow's name, schedule and types, shared with the schedule and tests.
export const ARCHIVE_RETENTION = 'archiveRetention';
/** The Temporal Schedule that starts the run once a day (lib/archive/retentionSchedule.ts). */
export const ARCHIVE_RETENTION_SCHEDULE_ID = 'komet-archive-retention';
/** Workflow id of the scheduled runs (Temporal adds the start time to it). */
export const ARCHIVE_RETENTION_WORKFLOW_ID = 'komet-archive-retention';

export interface ArchiveRetentionTotals {
  /** Cases whose package was made or confirmed and whose data was then erased. */
  archived: number;
  /** Cases this run erased (a case erased by an earlier run counts in archived only). */
  erased: number;
  /** Applicants erased with their last case. */
  personsErased: number;
  /** Cases skipped because archiving or erasing was refused (they stay for the next run). */
  failed: number;
}

/** Empty for a fresh run; continueAsNew carries the run's cutoff, position and totals on. */
export interface ArchiveRetentionInput {
  cutoff?: string;
  afterId?: string | null;
  totals?: ArchiveRetentionTotals;
  /** Cases per batch (default 50). */
  batchSize?: number;
  /** History length after which the run continues as new (default 2000). */
  historyLimit?: number;
}
