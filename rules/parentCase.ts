// The rules of a parent's case (R2, R3.4, R4, R9.4): its statuses, the steps between them, and the
// guards every path asks before a step — the workflow's update validators, the activities inside
// their transactions, the routes before they send, the templates before they offer a button.
import { ALLOWED, refuse, type Verdict } from './refusals';
import type { ApplicationStatus } from './caseStatus';

export const PARENT_CASE_STATUSES = [
  'submitted',
  'admitted',
  'queued',
  'offered',
  'withdrawn',
  'completed',
  'notCompleted',
  'closed',
] as const satisfies readonly ApplicationStatus[];

export type ParentCaseStatus = (typeof PARENT_CASE_STATUSES)[number];

export const PARENT_CASE_CLOSED = ['withdrawn', 'completed', 'notCompleted', 'closed'] as const satisfies readonly ParentCaseStatus[];

/** Every step a parent's case may take; anything else is a bug or a forged request. */
export const PARENT_CASE_TRANSITIONS: Readonly<Record<ParentCaseStatus, readonly ParentCaseStatus[]>> = {
  // The leader decides (R3.4), or the parent withdraws (R2.9).
  submitted: ['admitted', 'queued', 'withdrawn'],
  // A queued parent may be admitted by the leader or offered a freed seat (R2.9).
  queued: ['admitted', 'offered', 'withdrawn'],
  // The parent accepts, declines or lets the deadline pass; a supervisor may requeue (R9.4).
  offered: ['admitted', 'queued', 'withdrawn'],
  // The course runs to its end; a supervisor may requeue; the parent may leave.
  admitted: ['queued', 'withdrawn', 'completed', 'notCompleted'],
  withdrawn: [],
  completed: [],
  notCompleted: [],
  closed: [],
};

/** What the process waits for now, shown in "Mina ärenden" and to supervisors (R9.4). */
export const PARENT_CASE_WAITING = ['confirmation', 'decision', 'notice', 'offerAnswer', 'nextSession', 'guidance', 'finalEvaluation'] as const;
export type ParentCaseWaiting = (typeof PARENT_CASE_WAITING)[number];

export type Decision = 'admit' | 'queue';
export const DECISIONS: readonly Decision[] = ['admit', 'queue'];

export function isParentCaseClosed(status: ParentCaseStatus): boolean {
  return (PARENT_CASE_CLOSED as readonly string[]).includes(status);
}

export function canTransition(from: ParentCaseStatus, to: ParentCaseStatus): boolean {
  return PARENT_CASE_TRANSITIONS[from].includes(to);
}

/** A new application can be admitted or queued; a queued one can later be admitted (R3.4). */
export function canDecide(status: ParentCaseStatus, decision: Decision): Verdict<'not-decidable'> {
  if (status === 'submitted') return ALLOWED;
  if (status === 'queued' && decision === 'admit') return ALLOWED;
  return refuse('not-decidable');
}

/** The parent may withdraw at any time while the case runs (R2.9). */
export function canWithdraw(status: ParentCaseStatus): Verdict<'not-withdrawable'> {
  return isParentCaseClosed(status) ? refuse('not-withdrawable') : ALLOWED;
}

/** A leader removes a participant who holds, is offered or waits for a seat (R2.9). */
export function canRemove(status: ParentCaseStatus): Verdict<'not-withdrawable'> {
  return status === 'admitted' || status === 'queued' || status === 'offered' ? ALLOWED : refuse('not-withdrawable');
}

/** A supervisor puts a stuck case back in the queue: waiting, offered a seat, or holding one (R9.4). */
export function canMoveToQueue(status: ParentCaseStatus): Verdict<'not-movable'> {
  return status === 'submitted' || status === 'offered' || status === 'admitted' ? ALLOWED : refuse('not-movable');
}

/** The parent answers an offered seat before its deadline (R2.9). */
export function canAnswerOffer(
  state: { status: ParentCaseStatus; offer: { expiresAt: string } | null },
  now: number,
): Verdict<'no-offer' | 'offer-expired'> {
  if (state.status !== 'offered' || !state.offer) return refuse('no-offer');
  if (Date.parse(state.offer.expiresAt) <= now) return refuse('offer-expired');
  return ALLOWED;
}
