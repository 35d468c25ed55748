// Every status a case can have, listed once: the database enum `ApplicationStatus` (tied to it by
// lib/cases/caseStatus.ts at compile time and by caseStatus.test.ts against the schema). Each
// case kind's module (parentCase, enrolmentCase) takes its own statuses from here.

export const APPLICATION_STATUSES = [
  'submitted',
  'admitted',
  'queued',
  'offered',
  'withdrawn',
  'completed',
  'notCompleted',
  'closed',
  'awaitingConsent',
  'consented',
  'consentDeclined',
  'noConsent',
] as const;

export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Final: the case's process has ended and nothing more will happen. */
export const CLOSED_STATUSES = ['withdrawn', 'completed', 'notCompleted', 'closed', 'consentDeclined', 'noConsent'] as const satisfies readonly ApplicationStatus[];

/** Still running: everything that is not closed. */
export const ACTIVE_STATUSES = APPLICATION_STATUSES.filter((s) => !(CLOSED_STATUSES as readonly string[]).includes(s)) as readonly ApplicationStatus[];

export function isClosedStatus(status: string): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}

export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

/** Took part: admitted to the course, or through it (materials, fees, guidance, participant lists). */
export const PARTICIPANT_STATUSES = ['admitted', 'completed'] as const satisfies readonly ApplicationStatus[];

/** Waiting for a leader's decision: new, or in the queue (the working list, bulk admission). */
export const AWAITING_DECISION_STATUSES = ['submitted', 'queued'] as const satisfies readonly ApplicationStatus[];

/** The status a leader's or instructor's decision leads to (parent cases and enrolments alike). */
export const DECISION_STATUS = { admit: 'admitted', queue: 'queued' } as const satisfies Record<'admit' | 'queue', ApplicationStatus>;
export type DecidedStatus = (typeof DECISION_STATUS)[keyof typeof DECISION_STATUS];

/**
 * May have started the course: a participant, or through it without passing. The statistics count
 * these cases' waiting time to the start (the SQL function application_waiting says the same).
 */
export const STARTED_STATUSES = [...PARTICIPANT_STATUSES, 'notCompleted'] as const satisfies readonly ApplicationStatus[];
