// The reconciler (issue 14): starts every case workflow whose start is on record but not taken
// yet, e.g. cases acknowledged while Temporal was down. It runs in the worker process, at start
// and then every minute: a plain loop with the Temporal client, not a Temporal schedule, since it
// must work the moment Temporal is back (and a schedule is one more thing an outage can lose).
import { isTemporalUnreachable, temporalFailureKind } from '../temporal';
import { startRecordedWorkflow, StartDeferred, type RecordedStart, type WorkflowStartDeps } from './workflowStarts';

export interface ReconcileOptions {
  /** Rows read at a time. */
  batch?: number;
  /** How long one start may wait for Temporal. */
  waitMs?: number;
}

export interface ReconcileResult {
  started: number;
  /** Still waiting after this pass. */
  deferred: number;
}

/**
 * One pass: each waiting start is tried once, those never tried first, then the least recently
 * tried (so a start Temporal refuses cannot hold up the others). When Temporal cannot be reached
 * the pass ends at once: the next one comes in a minute.
 */
export async function reconcileWorkflowStarts(deps: WorkflowStartDeps, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const { batch = 100, waitMs = 5_000 } = options;
  const passStart = new Date();
  let started = 0;
  let failed = 0;
  // A row whose outcome could not be written (the database failing) is not tried twice in a pass.
  const tried = new Set<string>();
  for (;;) {
    const rows = await deps.db.$queryRaw<RecordedStart[]>`
      SELECT application_id AS "applicationId", workflow_type AS "workflowType", workflow_id AS "workflowId", args
      FROM workflow_start
      WHERE started_at IS NULL AND (last_attempt_at IS NULL OR last_attempt_at < ${passStart})
      ORDER BY last_attempt_at NULLS FIRST, created_at
      LIMIT ${batch}`;
    const fresh = rows.filter((row) => !tried.has(row.applicationId));
    for (const row of fresh) {
      tried.add(row.applicationId);
      try {
        await startRecordedWorkflow(deps, row, waitMs);
        started++;
      } catch (err) {
        failed++;
        const cause = err instanceof StartDeferred ? err.cause : err;
        if (isTemporalUnreachable(cause)) return { started, deferred: await waiting(deps) };
        console.error(`[outbox] ${err instanceof StartDeferred ? err.message : temporalFailureKind(err)}`);
      }
    }
    if (rows.length < batch || fresh.length === 0) break;
  }
  return { started, deferred: failed ? await waiting(deps) : 0 };
}

async function waiting(deps: WorkflowStartDeps): Promise<number> {
  const [row] = await deps.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM workflow_start WHERE started_at IS NULL`;
  return row.n;
}

export interface ReconcilerOptions extends ReconcileOptions {
  intervalMs?: number;
}

/**
 * Runs a pass now and then every intervalMs (one at a time, never overlapping); returns the
 * stop function, which waits for a pass under way. Never throws: a failed pass is logged.
 */
export function startWorkflowReconciler(deps: WorkflowStartDeps, options: ReconcilerOptions = {}): () => Promise<void> {
  const { intervalMs = 60_000, ...passOptions } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      const result = await reconcileWorkflowStarts(deps, passOptions);
      if (result.started || result.deferred) {
        console.log(`[outbox] reconciler started ${result.started} case workflow(s); ${result.deferred} still wait for Temporal`);
      }
    } catch (err) {
      console.error(`[outbox] reconciler pass failed: ${temporalFailureKind(err)}`);
    }
    if (!stopped) {
      timer = setTimeout(() => void (running = pass()), intervalMs);
      timer.unref(); // never what keeps the process alive
    }
  };
  running = pass();

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
