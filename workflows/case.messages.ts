// Messages every case workflow takes (parentApplication, professionalEnrolment), shared with their
// callers through the command clients in lib/commands. The update names are part of recorded
// histories: never rename them.
import { defineUpdate } from '@temporalio/workflow';
import type { DeadlineKind } from '../rules/deadlines';

export interface WithdrawInput {
  actorId: string;
  /** A leader removing a participant, rather than the person withdrawing. */
  byStaff: boolean;
}
export type WithdrawResult = { ok: true } | { ok: false; code: 'not-withdrawable' };

export interface MoveToQueueInput {
  /** The supervisor's person id, written to the case event the activity records. The reason is
   * free text: the inspector stores it as a case event and never sends it here (R9.4). */
  actorId: string;
}
export type MoveToQueueResult = { ok: true; status: 'queued'; queuePosition: number | null } | { ok: false; code: 'not-movable' };

export interface ChangeDeadlineInput {
  kind: DeadlineKind;
  /** The new deadline (ISO date-time). */
  deadline: string;
  /** For an invoice's due date: which invoice. */
  invoiceId?: string;
  /** Staff member's person id; the reason is stored by the caller as a case event, never sent here. */
  actorId: string;
}
export type ChangeDeadlineResult = { ok: true; deadline: string } | { ok: false; code: 'case-closed' | 'no-deadline' | 'deadline-in-past' };

/** The person (or a leader) withdraws the case; a freed seat goes to the queue (R2.9). */
export const withdrawUpdate = defineUpdate<WithdrawResult, [WithdrawInput]>('withdraw');
/** Puts a case back in its course's queue: a pending offer lapses, a held seat is passed on (R9.4). */
export const moveToQueueUpdate = defineUpdate<MoveToQueueResult, [MoveToQueueInput]>('moveToQueue');
/** Moves one of the case's running deadlines; the running timer follows (feature table row 64). */
export const changeDeadlineUpdate = defineUpdate<ChangeDeadlineResult, [ChangeDeadlineInput]>('changeDeadline');
