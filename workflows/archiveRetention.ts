// The retention run (R9.3, R11.5): every closed case past the retention period gets its archive
// package, then loses the personal data the city may no longer keep (policy: lib/archive/
// retention.ts). Started daily by a Temporal Schedule (overlap: skip). Batches of ids only;
// keyset paging by id, so a case that cannot be archived is passed over, not retried forever in
// one run, and the next run tries it again. The history stays short through continueAsNew.
import { ActivityFailure, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { acts } from './activities';
import type { ArchiveRetentionInput, ArchiveRetentionTotals } from './archiveRetention.messages';

export const RETENTION_BATCH = 50;
/** Start afresh (same cutoff, same position) when the history grows past this. */
export const RETENTION_HISTORY_LIMIT = 2000;

export async function archiveRetention(input: ArchiveRetentionInput = {}): Promise<ArchiveRetentionTotals> {
  const cutoff = input.cutoff ?? (await acts.retentionCutoff()).cutoff;
  const totals: ArchiveRetentionTotals = { archived: 0, erased: 0, personsErased: 0, failed: 0, ...input.totals };
  const batchSize = input.batchSize ?? RETENTION_BATCH;
  const historyLimit = input.historyLimit ?? RETENTION_HISTORY_LIMIT;
  let afterId = input.afterId ?? null;
  for (;;) {
    const ids = await acts.casesDueForArchive({ cutoff, afterId, limit: batchSize });
    for (const applicationId of ids) {
      try {
        // The package first: nothing is erased that the archive does not hold.
        await acts.archiveCase({ applicationId });
        const result = await acts.eraseCaseData({ applicationId });
        totals.archived += 1;
        if (result.erased) totals.erased += 1;
        if (result.personErased) totals.personsErased += 1;
      } catch (err) {
        // A refused case (non-retryable) is skipped; anything else fails the run.
        if (!(err instanceof ActivityFailure)) throw err;
        totals.failed += 1;
      }
    }
    if (ids.length < batchSize) return totals;
    afterId = ids[ids.length - 1];
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > historyLimit) {
      await continueAsNew<typeof archiveRetention>({ ...input, cutoff, afterId, totals });
    }
  }
}
