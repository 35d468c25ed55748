// Why a command was refused: one list of codes for every case kind, each with a message in the
// translation files (`refusals.<code>`, Swedish and English) that says why and what to do instead.
// Pure: imported by workflows, activities, lib, routes and templates alike.

export const REFUSALS = [
  // The case's status does not allow the step.
  'not-decidable',
  'not-withdrawable',
  'not-movable',
  'not-awaiting',
  'not-admitted',
  'case-closed',
  // Seats.
  'course-full',
  'no-offer',
  'offer-expired',
  // The manager's consent link.
  'used',
  'expired',
  // The instructor's decision.
  'reason-required',
  // Web-course guidance.
  'not-current-module',
  'finished',
  'no-diary',
  'surveys-unanswered',
  // Sessions and rooms.
  'session-not-started',
  'session-in-past',
  'end-before-start',
  'room-booked',
  // Training and certificate.
  'training-not-finished',
  'attendance-not-recorded',
  'attendance-too-low',
  'not-approved',
  'approved-before-end',
  // Deadlines.
  'deadline-in-past',
  'no-deadline',
  // The process itself.
  'not-started',
  'unreachable',
] as const;

export type Refusal = (typeof REFUSALS)[number];

/** A rule's answer: allowed, or refused with the reason. */
export type Verdict<C extends Refusal = Refusal> = { ok: true } | { ok: false; code: C };

export const ALLOWED: { ok: true } = { ok: true };

export function refuse<C extends Refusal>(code: C): { ok: false; code: C } {
  return { ok: false, code };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'string' && (REFUSALS as readonly string[]).includes(value);
}

/**
 * The type of the failure an update validator throws for a refusal: the command client turns it
 * back into `{ ok: false, code }`. A refused update never enters the workflow's history.
 */
export const REFUSAL_FAILURE_TYPE = 'KometRefusal';
