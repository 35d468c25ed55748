// Supervisors' actions on a running case (R9.4), shared by the case workflows that take them and
// the case inspector that sends them. The reason is free text: the inspector stores it as a case
// event and never sends it here, so it stays out of Temporal history.
import { defineUpdate } from '@temporalio/workflow';

export interface MoveToQueueInput {
  /** The supervisor's person id, written to the case event the activity records. */
  actorId: string;
}
export type MoveToQueueResult =
  | { ok: true; status: 'queued'; queuePosition: number | null }
  | { ok: false; code: 'not-movable' };

/** Puts a case back in its course's queue: a pending offer lapses, a held seat is passed on. */
export const moveToQueueUpdate = defineUpdate<MoveToQueueResult, [MoveToQueueInput]>('moveToQueue');
