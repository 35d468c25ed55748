// The rules of the chat's own follow-up (issue 17), pure: which conversations ask their counsellor
// for an anonymous outcome, which answers the outcome has, and how the chat's counted data is keyed
// (the Stockholm day and hour a conversation started, the wait in the queue rounded up to whole
// 10 s, a closed notice once per browser and day). The trigger chat_tally_left_queue (migration
// 20261209103000_chat_tally_counting) keys the queue's tallies the same way in SQL.
import { addDays, stockholmDateString, stockholmHour, stockholmInstant } from '../lib/time';

/** The outcome's questions: the database enum ChatOutcomeField. */
export const OUTCOME_FIELDS = ['topic', 'ageBand', 'result'] as const;
export type OutcomeField = (typeof OUTCOME_FIELDS)[number];

export function isOutcomeField(value: unknown): value is OutcomeField {
  return typeof value === 'string' && (OUTCOME_FIELDS as readonly string[]).includes(value);
}

/** The visitor need not say their age: no age band ("Ej angett") is an answer, stored as null. */
export function isOptionalField(field: OutcomeField): boolean {
  return field === 'ageBand';
}

/** Only a result can count as an early advice or support effort (the chat's second goal). */
export function hasEarlySupport(field: OutcomeField): boolean {
  return field === 'result';
}

/** Longest label of a choice, in characters. */
export const OUTCOME_LABEL_MAX = 60;
/** Choices per question, retired ones included (the form stays short, the admin's page too). */
export const OUTCOME_CHOICES_MAX = 30;

export interface ChoiceFacts {
  field: OutcomeField;
  retired: boolean;
  /** Conversations whose outcome names it. */
  uses: number;
}

/**
 * A choice that was used is kept, so earlier figures keep their label: it can only be retired.
 * An unused one can be deleted. A required question keeps at least one choice in use, or no
 * counsellor could answer it.
 */
export function mayDeleteChoice(choice: ChoiceFacts, activeInField: number): 'ok' | 'in-use' | 'last-active' {
  if (choice.uses > 0) return 'in-use';
  if (!choice.retired && !isOptionalField(choice.field) && activeInField <= 1) return 'last-active';
  return 'ok';
}

export function mayRetireChoice(choice: Pick<ChoiceFacts, 'field' | 'retired'>, activeInField: number): 'ok' | 'retired' | 'last-active' {
  if (choice.retired) return 'retired';
  if (!isOptionalField(choice.field) && activeInField <= 1) return 'last-active';
  return 'ok';
}

export interface OutcomeFacts {
  status: 'waiting' | 'active' | 'closed';
  counsellorId: string | null;
  assignedAt: Date | null;
  outcomeRecordedAt: Date | null;
}

/**
 * A conversation a counsellor took asks them for its outcome once it has closed, however it closed
 * (they ended it, the visitor did, it went quiet, the visitor was blocked), until it is recorded.
 * The counsellor asked is the one who held it when it closed. One that left the queue unanswered
 * has nobody to ask.
 */
export function needsOutcome(c: OutcomeFacts): boolean {
  return c.status === 'closed' && c.counsellorId !== null && c.assignedAt !== null && c.outcomeRecordedAt === null;
}

/** The tallies' unit of waiting time. */
export const WAIT_STEP_SECONDS = 10;

/** Seconds from `from` to `to`, rounded up to whole 10 s: 0 stays 0, 0.001 s is 10, 10 s is 10. */
export function waitSecondsRoundedUp(from: Date, to: Date): number {
  const ms = Math.max(0, to.getTime() - from.getTime());
  return Math.ceil(ms / (WAIT_STEP_SECONDS * 1000)) * WAIT_STEP_SECONDS;
}

/** The Stockholm date (YYYY-MM-DD) and hour (0–23) an instant is counted under. */
export function stockholmHourKey(at: Date): { day: string; hour: number } {
  return { day: stockholmDateString(at), hour: stockholmHour(at) };
}

export type QueueTallyKind = 'answered' | 'abandoned';

/**
 * How a conversation that left the queue is counted: answered when a counsellor took it, with its
 * wait until then; abandoned when it closed before that, with its wait until it closed. Keyed by
 * the hour it started.
 */
export function queueTally(c: { createdAt: Date; assignedAt: Date | null; closedAt: Date | null }, now: Date) {
  const left = c.assignedAt ?? c.closedAt ?? now;
  const kind: QueueTallyKind = c.assignedAt ? 'answered' : 'abandoned';
  return { ...stockholmHourKey(c.createdAt), kind, waitSeconds: waitSecondsRoundedUp(c.createdAt, left) };
}

/**
 * A visitor who meets the closed notice is counted once per browser and Stockholm day, not per
 * reload: the browser keeps the day it was last counted (nothing else), until that day ends.
 */
export function countsClosedNotice(countedOn: string | undefined, now: Date): boolean {
  return countedOn !== stockholmDateString(now);
}

/** Seconds until the next Stockholm midnight (at least 1): how long the day's mark is kept. */
export function secondsLeftOfDay(now: Date): number {
  const midnight = stockholmInstant(addDays(stockholmDateString(now), 1), '00:00');
  return Math.max(1, Math.ceil((midnight.getTime() - now.getTime()) / 1000));
}
