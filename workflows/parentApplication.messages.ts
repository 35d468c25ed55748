// Messages of the parentApplication workflow, shared with its callers (web, API, tests).
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const PARENT_APPLICATION = 'parentApplication';

/** Workflow ids come from the case number, so a retried submission cannot start a second case. */
export function parentApplicationWorkflowId(caseNumber: string): string {
  return `${PARENT_APPLICATION}-${caseNumber}`;
}

export type CaseStatus = 'submitted' | 'admitted' | 'queued' | 'withdrawn' | 'completed' | 'closed';
export type Decision = 'admit' | 'queue';
export type NoticeKind = 'confirmation' | 'admitted' | 'queued';

/** Ids and codes only: no personnummer, names or free text ever enter workflow state. */
export interface ParentApplicationInput {
  caseNumber: string;
  applicationId: string;
  courseId: string;
  districtSlug: string;
  kind: 'groupCourse' | 'webCourse';
  /** Carried across continueAsNew. */
  state?: ParentApplicationState;
}

export interface ParentApplicationState {
  caseNumber: string;
  status: CaseStatus;
  /** What the process waits for now, for "Mina ärenden" and the supervisors (R9.4). */
  waitingFor: 'confirmation' | 'decision' | 'notice' | 'courseStart' | null;
  queuePosition: number | null;
  decisions: number;
  noticesSent: NoticeKind[];
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

export const statusQuery = defineQuery<ParentApplicationState>('status');
export const decideUpdate = defineUpdate<DecideResult, [DecideInput]>('decide');
