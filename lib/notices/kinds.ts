// What kind of thing a case notice tells (issue 16): the workflows name the event (admitted,
// moduleOpened, invoiceOverdue…); the person is told its kind, never its content. The kinds are in
// order of importance: a bundle of several leads with the most important one.
import type { TemplateKey } from '../templates/messageTemplates';
import type { NoticeKind } from '../../workflows/parentApplication.messages';
import type { EnrolmentNotice } from '../../workflows/professionalEnrolment.messages';

export const NOTICE_CATEGORIES = ['receipt', 'offer', 'decision', 'change', 'sessionReminder', 'invoice', 'reminder', 'update'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** The message each kind is told with. */
export const CATEGORY_TEMPLATE: Record<NoticeCategory, TemplateKey> = {
  receipt: 'caseReceived',
  offer: 'caseOffer',
  decision: 'caseDecision',
  change: 'caseChange',
  sessionReminder: 'sessionReminder',
  invoice: 'caseInvoice',
  reminder: 'caseReminder',
  update: 'caseUpdate',
};

/**
 * "Something new in your case" needs telling once per quiet period: whatever else was told in the
 * period already sent the person to Mina ärenden, where the new material or survey is. Every other
 * kind (a decision, an offer with its deadline, a changed time, a reminder) is told even then, at
 * the latest when the period ends.
 */
export const ALREADY_TOLD_BY_ANY: ReadonlySet<NoticeCategory> = new Set(['update']);

/** Every kind a workflow sends has its category: a new kind does not compile until it is given one. */
const CATEGORY_OF: Record<NoticeKind | EnrolmentNotice, NoticeCategory> = {
  // Both case kinds.
  confirmation: 'receipt',
  admitted: 'decision',
  queued: 'decision',
  surveysOpen: 'update',
  // Parents' applications (workflows/parentApplication.messages NoticeKind).
  offered: 'offer',
  offerExpired: 'decision',
  withdrawn: 'decision',
  removed: 'decision',
  completed: 'decision',
  notCompleted: 'decision',
  sessionReminder: 'sessionReminder',
  scheduleChanged: 'change',
  surveyReminder: 'reminder',
  inactivityReminder: 'reminder',
  webCourseStart: 'update',
  moduleOpened: 'update',
  // Professionals' enrolments (workflows/professionalEnrolment.messages EnrolmentNotice).
  consentApproved: 'decision',
  consentDeclined: 'decision',
  noConsent: 'decision',
  certificateIssued: 'decision',
  invoiceIssued: 'invoice',
  invoiceOverdue: 'reminder',
  // Both: staff moved a deadline (an offer's answer, the manager's consent, an invoice's due date).
  deadlineChanged: 'change',
};

/** Kinds whose text names a time; without one they are told as the plainer kind beside them. */
const WITHOUT_TIME: Partial<Record<NoticeCategory, NoticeCategory>> = { sessionReminder: 'reminder', offer: 'decision' };

/** A notice kind no one mapped yet is still told, as "something new". */
export function categoryOf(kind: string, hasTime = true): NoticeCategory {
  const category = (CATEGORY_OF as Record<string, NoticeCategory>)[kind] ?? 'update';
  return hasTime ? category : (WITHOUT_TIME[category] ?? category);
}

export const importance = (c: NoticeCategory): number => NOTICE_CATEGORIES.indexOf(c);
