// The rules asked of a case whatever its kind, for code that holds a case row (activities, pages,
// templates): each question goes to the case kind's own module.
import type { ApplicationStatus } from './caseStatus';
import * as enrolment from './enrolmentCase';
import * as parent from './parentCase';
import { refuse, type Verdict } from './refusals';

export type CaseKind = 'groupCourse' | 'webCourse' | 'training';

const isEnrolment = (kind: CaseKind) => kind === 'training';
const asParent = (status: ApplicationStatus) => (parent.PARENT_CASE_STATUSES as readonly string[]).includes(status) ? (status as parent.ParentCaseStatus) : null;
const asEnrolment = (status: ApplicationStatus) => (enrolment.ENROLMENT_STATUSES as readonly string[]).includes(status) ? (status as enrolment.EnrolmentStatus) : null;

/** The person may withdraw (or a leader remove) the case (R2.9, R6). */
export function canWithdrawCase(c: { kind: CaseKind; status: ApplicationStatus }, hasCertificate = false): Verdict<'not-withdrawable'> {
  if (isEnrolment(c.kind)) {
    const s = asEnrolment(c.status);
    return s ? enrolment.canWithdraw(s, hasCertificate) : refuse('not-withdrawable');
  }
  const s = asParent(c.status);
  return s ? parent.canWithdraw(s) : refuse('not-withdrawable');
}

/** A supervisor may put the case back in its queue (R9.4). */
export function canMoveCaseToQueue(c: { kind: CaseKind; status: ApplicationStatus }, hasCertificate = false): Verdict<'not-movable'> {
  if (isEnrolment(c.kind)) {
    const s = asEnrolment(c.status);
    return s ? enrolment.canMoveToQueue(s, hasCertificate) : refuse('not-movable');
  }
  const s = asParent(c.status);
  return s ? parent.canMoveToQueue(s) : refuse('not-movable');
}

/** A leader's decision on the working list: parents' cases only (trainings are the instructor's, R7.3). */
export function canLeaderDecide(c: { kind: CaseKind; status: ApplicationStatus }, decision: parent.Decision): Verdict<'not-decidable'> {
  const s = isEnrolment(c.kind) ? null : asParent(c.status);
  return s ? parent.canDecide(s, decision) : refuse('not-decidable');
}
