// Messages of the professionalEnrolment workflow (R6, R7, R8.6–R8.8), shared with its callers.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EnrolmentStatus, EnrolmentWaiting } from '../rules/enrolmentCase';
import type { CompletionRefusal } from '../rules/training';

export const PROFESSIONAL_ENROLMENT = 'professionalEnrolment';

/** Ids come from the case number, like the parents' cases: a retried submission is one case. */
export function professionalEnrolmentWorkflowId(caseNumber: string): string {
  return `${PROFESSIONAL_ENROLMENT}-${caseNumber}`;
}

/** The statuses and their rules live in rules/enrolmentCase.ts. */
export type { EnrolmentStatus };

export type EnrolmentNotice =
  | 'confirmation'
  | 'consentApproved'
  | 'consentDeclined'
  | 'noConsent'
  | 'admitted'
  | 'queued'
  | 'surveysOpen'
  | 'invoiceIssued'
  | 'invoiceOverdue'
  | 'certificateIssued'
  /** Staff moved the consent deadline or an invoice's due date. */
  | 'deadlineChanged';

/** Ids and codes only, as for every workflow: names, e-mails and comments stay in the database. */
export interface ProfessionalEnrolmentInput {
  caseNumber: string;
  applicationId: string;
  courseId: string;
  state?: ProfessionalEnrolmentState;
  /** Continue as new past this history length too (tests); otherwise when the server suggests it. */
  historyLimit?: number;
}

export interface ProfessionalEnrolmentState {
  caseNumber: string;
  status: EnrolmentStatus;
  waitingFor: EnrolmentWaiting | null;
  /** Since when it waits for that (ISO); absent in cases started before the inspector (R9.4). */
  waitingSince?: string | null;
  /** When the manager was asked (ISO): the reminder and the deadline count from it. */
  consentRequestedAt: string | null;
  consentReminded: boolean;
  /** The consent deadline as staff moved it (ISO); absent: asked-at plus the setting. */
  consentDeadline?: string | null;
  /** "Godkänd" set or withdrawn so far: each one's step key is its own. */
  approvals?: number;
  /** Invoices issued and not yet paid, with their due dates (YYYY-MM-DD, overdue after that day). */
  openInvoices: { invoiceId: string; dueDate: string; reminded: boolean }[];
  certificateNumber: string | null;
  /** Sessions whose surveys are open (or that ended before admission). Set on admission. */
  surveyedSessions?: string[];
  noticesSent: EnrolmentNotice[];
  updatedAt: string;
}

export interface ManagerDecisionInput {
  consentRequestId: string;
  decision: 'approved' | 'declined';
}
export type ManagerDecisionResult =
  | { ok: true; status: EnrolmentStatus }
  | { ok: false; code: 'used' | 'expired' | 'not-awaiting' };

export interface InstructorDecisionInput {
  decision: 'admit' | 'queue';
  /** The supervision group for an admission. (A queue's reason is free text: the console stores it
   * on the case before deciding, so it never enters the workflow's history.) */
  groupId?: string;
  actorId: string;
}
export type InstructorDecisionResult =
  | { ok: true; status: EnrolmentStatus; queuePosition: number | null }
  | { ok: false; code: 'course-full' | 'not-decidable' | 'reason-required' };

export interface IssueCertificateInput {
  actorId: string;
}
export type IssueCertificateResult =
  | { ok: true; number: string }
  | { ok: false; code: CompletionRefusal | 'not-approved' | 'approved-before-end' | 'not-admitted' };

/** The instructor sets or withdraws "Godkänd" for the certificate (R7.7). */
export interface MarkApprovedInput {
  approved: boolean;
  actorId: string;
}
export type MarkApprovedResult = { ok: true; approved: boolean } | { ok: false; code: CompletionRefusal | 'not-admitted' };

export const enrolmentStatusQuery = defineQuery<ProfessionalEnrolmentState>('status');
/** From the consent page: the manager's answer (the comment is stored by the page, not sent here). */
export const managerDecisionUpdate = defineUpdate<ManagerDecisionResult, [ManagerDecisionInput]>('managerDecision');
export const instructorDecisionUpdate = defineUpdate<InstructorDecisionResult, [InstructorDecisionInput]>('instructorDecision');
/** The admin issued an invoice: the workflow keeps a durable timer on its due date. */
export const invoiceIssuedSignal = defineSignal<[{ invoiceId: string; dueDate: string }]>('invoiceIssued');
/** Marked paid: the chase stops. */
export const invoicePaidSignal = defineSignal<[{ invoiceId: string }]>('invoicePaid');
/** At term close the administrator sends the certificate; issued once even if retried. */
export const issueCertificateUpdate = defineUpdate<IssueCertificateResult, [IssueCertificateInput]>('issueCertificate');
/** Once the training is completed the instructor approves the participant, or withdraws it (R7.7). */
export const markApprovedUpdate = defineUpdate<MarkApprovedResult, [MarkApprovedInput]>('markApproved');
