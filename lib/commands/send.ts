// How every command reaches a case's workflow: one place that sends updates, signals and queries,
// waits a bounded time, and turns whatever happens into a result the page can show. Routes never
// call `getHandle`: they use the command client of the workflow (parentApplication.ts,
// professionalEnrolment.ts, webCourseGuidance.ts, case.ts), built on these three functions.
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { isRefusal, REFUSAL_FAILURE_TYPE, type Refusal } from '../../rules/refusals';
import { withinDeadline } from '../temporal';
import { knownDown } from '../embedded/partStates';

/** The workflow could not be reached in time (Temporal down or overloaded): try again in a moment. */
export type Unreachable = { ok: false; code: 'unreachable' };
/** The case is stored but its process has not started yet (the reconciler starts it shortly). */
export type NotStarted = { ok: false; code: 'not-started' };
/** The case's process has ended: nothing more can change it. */
export type ProcessEnded = { ok: false; code: 'case-closed' };
export type NotReached = Unreachable | NotStarted | ProcessEnded;

/** A command's answer: the update's own result, a refusal from its validator, or not reached. */
export type CommandResult<R> = R | { ok: false; code: Refusal } | NotReached;

/** How long a page waits for a workflow to take a command; past it, the page says "try again". */
export const COMMAND_DEADLINE_MS = 10_000;
export const QUERY_DEADLINE_MS = 3_000;
/** The wait while the embedded launcher is restarting the worker or Temporal (nothing can answer). */
export const RESTARTING_DEADLINE_MS = 1_500;

/** Updates and queries need Temporal and a worker; signals only Temporal. */
function deadline(normalMs: number, needsWorker: boolean): number {
  return knownDown('temporal') || (needsWorker && knownDown('worker')) ? Math.min(normalMs, RESTARTING_DEADLINE_MS) : normalMs;
}

export async function sendUpdate<R, A>(temporal: Client, workflowId: string, update: UpdateDefinition<R, [A]>, input: A): Promise<CommandResult<R>> {
  try {
    return await withinDeadline(temporal, deadline(COMMAND_DEADLINE_MS, true), () => temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [input] }));
  } catch (err) {
    return notDone(temporal, workflowId, update.name, err);
  }
}

export async function sendSignal<Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<{ ok: true } | NotReached> {
  try {
    await withinDeadline(temporal, deadline(COMMAND_DEADLINE_MS, false), () => temporal.workflow.getHandle(workflowId).signal(signal, ...args));
    return { ok: true };
  } catch (err) {
    return notDone(temporal, workflowId, signal.name, err) as Promise<NotReached>;
  }
}

/** The workflow's live state, or null when it cannot answer now (the page then shows the record). */
export async function readQuery<R>(temporal: Client, workflowId: string, query: QueryDefinition<R, []>): Promise<R | null> {
  try {
    return await withinDeadline(temporal, deadline(QUERY_DEADLINE_MS, true), () => temporal.workflow.getHandle(workflowId).query(query));
  } catch {
    return null;
  }
}

async function notDone(temporal: Client, workflowId: string, name: string, err: unknown): Promise<{ ok: false; code: Refusal } | NotReached> {
  const refusal = refusalOf(err);
  if (refusal) return { ok: false, code: refusal };
  if (err instanceof WorkflowNotFoundError) return (await hasRun(temporal, workflowId)) ? { ok: false, code: 'case-closed' } : { ok: false, code: 'not-started' };
  // Never swallowed: the log says what failed (no personal data: names and codes only).
  console.warn(`[commands] ${name} on ${workflowId.replace(/-.*/, '')} not delivered: ${(err as Error)?.name ?? 'Error'}`);
  return { ok: false, code: 'unreachable' };
}

/** A refusal thrown by an update's validator (workflows/refusal.ts). */
export function refusalOf(err: unknown): Refusal | null {
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === REFUSAL_FAILURE_TYPE && isRefusal(cause.message)) return cause.message;
  return null;
}

/** Whether the workflow exists at all (closed) rather than never started. */
async function hasRun(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    await withinDeadline(temporal, deadline(QUERY_DEADLINE_MS, false), () => temporal.workflow.getHandle(workflowId).describe());
    return true;
  } catch {
    return false;
  }
}
