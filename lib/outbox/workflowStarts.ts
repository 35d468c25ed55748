// The outbox of case workflows (issue 14, R11.2): "store the case" and "start its process" as one durable
// step. The statement that stores a case also writes its workflow_start row; whoever starts the
// workflow (the submit path at once, the worker's reconciler later) marks the row started. The
// workflow id derives from the case number and starts are REJECT_DUPLICATE, so two starters (or a
// start repeated after a crash) still make one workflow and one confirmation.
import type { Client } from '@temporalio/client';
import type { Db } from '../db';
import { startWorkflowOnce, temporalFailureKind, withinDeadline } from '../temporal';
import { PARENT_APPLICATION, type ParentApplicationInput } from '../../workflows/parentApplication.messages';
import { PROFESSIONAL_ENROLMENT, type ProfessionalEnrolmentInput } from '../../workflows/professionalEnrolment.messages';
import { CaseKindKey, CaseNumberKey, CaseStatusKey, CourseKey, DistrictKey } from '../../workflows/searchAttributes';

export interface WorkflowStartDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

/** One workflow_start row: what starting one case's workflow needs. */
export interface RecordedStart {
  applicationId: string;
  workflowType: string;
  workflowId: string;
  /** The workflow's input, as stored: ids and codes only. */
  args: unknown;
}

/**
 * How long a submission waits for Temporal before it acknowledges the stored case anyway (the
 * reconciler starts it later). Issue 14 allows 5 s in all; the database needs the rest.
 */
export const SUBMIT_START_WAIT_MS = 3_000;

/** The search attributes each case workflow starts with (supervisors' lists, R9.4). */
function searchAttributes(start: RecordedStart) {
  switch (start.workflowType) {
    case PARENT_APPLICATION: {
      const input = start.args as ParentApplicationInput;
      return [
        { key: CaseNumberKey, value: input.caseNumber },
        { key: CaseKindKey, value: PARENT_APPLICATION },
        { key: DistrictKey, value: input.districtSlug },
        { key: CaseStatusKey, value: 'submitted' },
        { key: CourseKey, value: input.courseId },
      ];
    }
    case PROFESSIONAL_ENROLMENT: {
      const input = start.args as ProfessionalEnrolmentInput;
      return [
        { key: CaseNumberKey, value: input.caseNumber },
        { key: CaseKindKey, value: PROFESSIONAL_ENROLMENT },
        { key: CaseStatusKey, value: 'awaitingConsent' },
        { key: CourseKey, value: input.courseId },
      ];
    }
    default:
      throw new UnknownWorkflowTypeError(`No case workflow of type ${start.workflowType}`);
  }
}

class UnknownWorkflowTypeError extends Error {
  override name = 'UnknownWorkflowTypeError';
}

/**
 * Starts the recorded workflow (or finds it already there) within waitMs, then marks the row
 * started. A failure is counted on the row and thrown as StartDeferred: the row still waits.
 */
export async function startRecordedWorkflow(deps: WorkflowStartDeps, start: RecordedStart, waitMs: number, { awaitMark = true } = {}): Promise<void> {
  try {
    const typedSearchAttributes = searchAttributes(start);
    await withinDeadline(deps.temporal, waitMs, () =>
      startWorkflowOnce(deps.temporal, start.workflowType, {
        workflowId: start.workflowId,
        taskQueue: deps.taskQueue,
        args: [start.args],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes,
      }),
    );
  } catch (err) {
    await recordFailedAttempt(deps.db, start.applicationId, temporalFailureKind(err));
    throw new StartDeferred(start.workflowId, err);
  }
  const marked = markStarted(deps.db, start.applicationId);
  if (awaitMark) await marked;
}

/** The workflow did not start now; its row waits for the reconciler. */
export class StartDeferred extends Error {
  override name = 'StartDeferred';
  constructor(
    readonly workflowId: string,
    override readonly cause: unknown,
  ) {
    super(`Start of ${workflowId} deferred: ${temporalFailureKind(cause)}`);
  }
}

/**
 * The submit path's start: at once, but never longer than SUBMIT_START_WAIT_MS, and never a
 * failure for the caller: the case is stored and its start on record either way.
 */
export async function startAfterSubmit(deps: WorkflowStartDeps, start: RecordedStart): Promise<boolean> {
  try {
    // The mark is bookkeeping for the reconciler, which finds a started workflow started anyway:
    // the citizen's answer does not wait for its commit.
    await startRecordedWorkflow(deps, start, SUBMIT_START_WAIT_MS, { awaitMark: false });
    return true;
  } catch (err) {
    console.warn(`[outbox] ${err instanceof StartDeferred ? err.message : temporalFailureKind(err)}; the reconciler will start it`);
    return false;
  }
}

async function markStarted(db: Db, applicationId: string): Promise<void> {
  // If the database fails here, the reconciler starts it again: Temporal answers "already started".
  await db.sql`
    UPDATE workflow_start SET started_at = ${new Date()} WHERE application_id = ${applicationId}::uuid AND started_at IS NULL`.catch(() => undefined);
}

async function recordFailedAttempt(db: Db, applicationId: string, kind: string): Promise<void> {
  await db.$executeRaw`
    UPDATE workflow_start SET attempts = attempts + 1, last_attempt_at = ${new Date()}, last_error = ${kind}
    WHERE application_id = ${applicationId}::uuid`.catch(() => undefined);
}
