// The retention run's side effects (R9.3, R11.5): which cases are due, their archive packages, and
// the erasure of the personal data no longer kept. Inputs and results are ids, counts and codes
// only: nothing personal enters Temporal history.
import { ApplicationFailure } from '@temporalio/common';
import { ensureArchivePackage } from '../lib/archive/archivePackage';
import { casesDueForRetention, eraseCaseData, loadArchiveRetention, retentionCutoff } from '../lib/archive/retention';
import type { Db } from '../lib/db';
import { translator } from '../lib/i18n';

export interface DueCasesInput {
  /** ISO instant: cases closed before it are due (fixed for the whole run). */
  cutoff: string;
  afterId: string | null;
  limit: number;
}

export function createArchiveActivities({ db }: { db: Db }) {
  // Archive documents are in Swedish, whoever asks for them.
  const t = translator('sv');
  return {
    /** The run's cutoff from the retention setting, so every batch of one run uses the same one. */
    async retentionCutoff(): Promise<{ cutoff: string; retentionMonths: number }> {
      const retention = await loadArchiveRetention(db);
      return { cutoff: retentionCutoff(new Date(), retention).toISOString(), retentionMonths: retention.retentionMonths };
    },

    /** Ids of closed cases past the cutoff and not erased yet, in id order after `afterId`. */
    async casesDueForArchive(input: DueCasesInput): Promise<string[]> {
      return casesDueForRetention(db, new Date(input.cutoff), input.limit, input.afterId);
    },

    /** Makes (or keeps) the case's stored package; idempotent by the unique applicationId. */
    async archiveCase({ applicationId }: { applicationId: string }): Promise<{ sha256: string; created: boolean }> {
      const result = await ensureArchivePackage(db, applicationId, { createdBy: 'system', t });
      if (!result.ok) throw ApplicationFailure.nonRetryable(`archiveCase: ${result.code}`, result.code);
      return { sha256: result.package.sha256, created: result.created };
    },

    /** Erases what the retention policy says; refuses a case without a stored package. */
    async eraseCaseData({ applicationId }: { applicationId: string }): Promise<{ erased: boolean; personErased: boolean }> {
      const result = await eraseCaseData(db, applicationId);
      if (!result.ok) throw ApplicationFailure.nonRetryable(`eraseCaseData: ${result.code}`, result.code);
      return { erased: !result.alreadyErased, personErased: result.personErased };
    },
  };
}
