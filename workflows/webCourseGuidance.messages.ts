// Messages of the webCourseGuidance workflow: one per admitted web-course parent (R4, R5).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { GuidancePhase } from '../rules/guidanceCase';

export const WEB_COURSE_GUIDANCE = 'webCourseGuidance';

export function webCourseGuidanceWorkflowId(caseNumber: string): string {
  return `${WEB_COURSE_GUIDANCE}-${caseNumber}`;
}

export interface WebCourseGuidanceInput {
  caseNumber: string;
  applicationId: string;
  courseId: string;
  /** The case's parentApplication workflow, told when the last module is signed off. */
  parentWorkflowId: string;
  state?: WebCourseGuidanceState;
  /** Continue as new past this history length too (tests); otherwise when the server suggests it. */
  historyLimit?: number;
}

export interface WebCourseGuidanceState {
  caseNumber: string;
  /** The module the parent works on; modules up to it are open. */
  currentModule: number;
  moduleCount: number;
  signedOff: number[];
  /** Last diary note (ISO); inactivity is counted from it. */
  lastActiveAt: string;
  /** lastActiveAt values an inactivity reminder was already sent for: one per quiet spell. */
  remindedFor: string[];
  phase: GuidancePhase;
  updatedAt: string;
}

export interface SignOffInput {
  moduleNumber: number;
  /** The guide's person id (audit trail). */
  guideId: string;
}
export type SignOffResult =
  | { ok: true; currentModule: number; finished: boolean }
  | { ok: false; code: 'not-current-module' | 'finished' | 'no-diary' | 'surveys-unanswered' };

export const guidanceStatusQuery = defineQuery<WebCourseGuidanceState>('guidanceStatus');
export const signOffModuleUpdate = defineUpdate<SignOffResult, [SignOffInput]>('signOffModule');
/** The parent wrote a diary note: resets the inactivity clock. */
export const parentActiveSignal = defineSignal('parentActive');
/** The case was withdrawn: stop guiding. */
export const stopGuidanceSignal = defineSignal('stopGuidance');
