// Messages of the parentApplication workflow, shared with its callers (web, API, tests).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decision, ParentCaseStatus, ParentCaseWaiting } from '../rules/parentCase';

export const PARENT_APPLICATION = 'parentApplication';

/** Workflow ids come from the case number, so a retried submission cannot start a second case. */
export function parentApplicationWorkflowId(caseNumber: string): string {
  return `${PARENT_APPLICATION}-${caseNumber}`;
}

/** The statuses and their rules live in rules/parentCase.ts. */
export type CaseStatus = ParentCaseStatus;
export type { Decision };
export type NoticeKind =
  | 'confirmation'
  | 'admitted'
  | 'queued'
  | 'offered'
  | 'offerExpired'
  | 'withdrawn'
  | 'removed'
  | 'sessionReminder'
  | 'scheduleChanged'
  | 'surveysOpen'
  | 'surveyReminder'
  | 'webCourseStart'
  | 'moduleOpened'
  | 'inactivityReminder'
  | 'completed'
  | 'notCompleted'
  /** Staff moved the offer's answer deadline. */
  | 'deadlineChanged';

/** Ids and codes only: no personnummer, names or free text ever enter workflow state. */
export interface ParentApplicationInput {
  caseNumber: string;
  applicationId: string;
  courseId: string;
  districtSlug: string;
  kind: 'groupCourse' | 'webCourse';
  /** Carried across continueAsNew. */
  state?: ParentApplicationState;
  /** Continue as new past this history length too (tests); otherwise when the server suggests it. */
  historyLimit?: number;
}

export interface SeatOfferState {
  offerId: string;
  courseId: string;
  expiresAt: string;
}

export interface ParentApplicationState {
  caseNumber: string;
  status: CaseStatus;
  /** The course the case is (or will be) in: changes when an offered seat in another course is accepted. */
  courseId: string;
  /** What the process waits for now, for "Mina ärenden" and the supervisors (R9.4). */
  waitingFor: ParentCaseWaiting | null;
  /** Since when it waits for that (ISO); absent in cases started before the inspector (R9.4). */
  waitingSince?: string | null;
  queuePosition: number | null;
  offer: SeatOfferState | null;
  decisions: number;
  noticesSent: NoticeKind[];
  /** Steps already done after admission, by key (reminder/survey per session and start time). */
  done: string[];
  /** Survey rounds that get one reminder if unanswered: key and when. */
  surveyReminders: { key: string; at: string }[];
  /** Web course: the guidance workflow has signed off the last module. */
  guidanceFinished: boolean;
  /** The final evaluation was answered (signal from the web; the database is checked at the deadline). */
  finalAnswered: boolean;
  /** When the final evaluation closes and the case closes as not completed (ISO). */
  finalDeadline: string | null;
  updatedAt: string;
}

export interface DecideInput {
  decision: Decision;
  /** The staff member's person id, written to the case event (audit trail). */
  actorId: string;
}

export type DecideResult =
  | { ok: true; status: CaseStatus; queuePosition: number | null }
  | { ok: false; code: 'course-full' | 'not-decidable' };

export interface AnswerOfferInput {
  accept: boolean;
  actorId: string;
}
export type AnswerOfferResult =
  | { ok: true; status: CaseStatus }
  | { ok: false; code: 'no-offer' | 'offer-expired' | 'course-full' };

/** Sent by a case or a course opening that freed seats to the first in the queue. */
export type SeatOfferedSignal = SeatOfferState;

/** A session was moved or got another room: re-plan reminders and tell the parent. */
export interface ScheduleChangedSignal {
  sessionId: string;
}

/** The parent answered a survey (the web sends the kind only, never the answers). */
export interface SurveyAnsweredSignal {
  kind: 'sessionEvaluation' | 'progress' | 'preMeasurement' | 'postMeasurement' | 'childBehaviour' | 'courseEvaluation';
}

export const statusQuery = defineQuery<ParentApplicationState>('status');
export const decideUpdate = defineUpdate<DecideResult, [DecideInput]>('decide');
export const answerOfferUpdate = defineUpdate<AnswerOfferResult, [AnswerOfferInput]>('answerOffer');
export const seatOfferedSignal = defineSignal<[SeatOfferedSignal]>('seatOffered');
export const scheduleChangedSignal = defineSignal<[ScheduleChangedSignal]>('scheduleChanged');
export const surveyAnsweredSignal = defineSignal<[SurveyAnsweredSignal]>('surveyAnswered');
/** From the case's webCourseGuidance workflow when the last module is signed off. */
export const guidanceFinishedSignal = defineSignal('guidanceFinished');
