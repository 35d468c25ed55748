// The rules of a professional's enrolment in a Komet training (R6, R7.3, R7.7, R8.6, R8.8): its
// statuses, steps and guards. The certificate's own conditions live in training.ts.
import { ALLOWED, refuse, type Verdict } from './refusals';
import type { ApplicationStatus } from './caseStatus';

export const ENROLMENT_STATUSES = [
  'awaitingConsent',
  'consented',
  'consentDeclined',
  'noConsent',
  'admitted',
  'queued',
  'withdrawn',
  'completed',
] as const satisfies readonly ApplicationStatus[];

export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export const ENROLMENT_CLOSED = ['consentDeclined', 'noConsent', 'withdrawn', 'completed'] as const satisfies readonly EnrolmentStatus[];

export const ENROLMENT_TRANSITIONS: Readonly<Record<EnrolmentStatus, readonly EnrolmentStatus[]>> = {
  // The manager answers or lets the deadline pass (R6.2); the professional may withdraw.
  awaitingConsent: ['consented', 'consentDeclined', 'noConsent', 'withdrawn'],
  // The instructor admits to a group or queues with a reason (R7.3).
  consented: ['admitted', 'queued', 'withdrawn'],
  queued: ['admitted', 'withdrawn'],
  // A supervisor may requeue (R9.4); the certificate completes the training (R7.7, R8.8).
  admitted: ['queued', 'withdrawn', 'completed'],
  consentDeclined: [],
  noConsent: [],
  withdrawn: [],
  completed: [],
};

export const ENROLMENT_WAITING = ['consent', 'admission', 'training', 'payment', 'certificate'] as const;
export type EnrolmentWaiting = (typeof ENROLMENT_WAITING)[number];

export function isEnrolmentClosed(status: EnrolmentStatus): boolean {
  return (ENROLMENT_CLOSED as readonly string[]).includes(status);
}

export function canTransition(from: EnrolmentStatus, to: EnrolmentStatus): boolean {
  return ENROLMENT_TRANSITIONS[from].includes(to);
}

export function canManagerDecide(status: EnrolmentStatus): Verdict<'not-awaiting'> {
  return status === 'awaitingConsent' ? ALLOWED : refuse('not-awaiting');
}

/** A consented applicant is admitted or queued; a queued one may later be admitted (R7.3). */
export function canInstructorDecide(status: EnrolmentStatus, decision: 'admit' | 'queue'): Verdict<'not-decidable'> {
  if (status === 'consented') return ALLOWED;
  if (status === 'queued' && decision === 'admit') return ALLOWED;
  return refuse('not-decidable');
}

/** The professional may withdraw at any time before the certificate (R6). */
export function canWithdraw(status: EnrolmentStatus, hasCertificate: boolean): Verdict<'not-withdrawable'> {
  return isEnrolmentClosed(status) || hasCertificate ? refuse('not-withdrawable') : ALLOWED;
}

export function canMoveToQueue(status: EnrolmentStatus, hasCertificate: boolean): Verdict<'not-movable'> {
  return (status === 'consented' || status === 'admitted') && !hasCertificate ? ALLOWED : refuse('not-movable');
}

/** Approval and the certificate are for participants in the training (R7.7). */
export function isParticipant(status: EnrolmentStatus): Verdict<'not-admitted'> {
  return status === 'admitted' || status === 'completed' ? ALLOWED : refuse('not-admitted');
}
