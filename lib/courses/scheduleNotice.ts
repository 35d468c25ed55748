// Telling a course's admitted parents that a session moved or changed room (R2.6): every admitted
// case's workflow gets `scheduleChanged` through its command client, re-plans its reminders and
// sends the notice. A page that changes a session asks first whether Temporal answers, so that a
// change is not saved while nobody can be told; if it stops answering in between, the page says how
// many were not reached and offers to send again.
import type { Client } from '@temporalio/client';
import { scheduleChanged } from '../commands/parentApplication';
import { QUERY_DEADLINE_MS } from '../commands/send';
import type { Db } from '../db';

/** The workflows of the course's admitted parents (a training's participants have no such notice). */
export async function admittedParentCases(db: Db, courseId: string): Promise<string[]> {
  const rows = await db.application.findMany({
    where: { courseId, status: 'admitted', kind: { not: 'training' } },
    select: { workflowId: true },
  });
  return rows.map((r) => r.workflowId);
}

/** Whether Temporal answers now, within the time a page waits for a read. */
export async function temporalAnswers(temporal: Client): Promise<boolean> {
  try {
    await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => temporal.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

export interface Told {
  /** Cases whose workflow took the signal. */
  told: number;
  /** Cases Temporal could not be reached for: they still need the word. */
  unreached: number;
}

/** Signals every case; a case whose process has ended needs no word and counts as neither. */
export async function tellScheduleChanged(temporal: Client, workflowIds: readonly string[], sessionId: string): Promise<Told> {
  const results = await Promise.all(workflowIds.map((id) => scheduleChanged(temporal, id, { sessionId })));
  return {
    told: results.filter((r) => r.ok).length,
    unreached: results.filter((r) => !r.ok && r.code === 'unreachable').length,
  };
}
