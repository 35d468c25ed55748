// The names of a case's events (case_event.type) that more than one place writes or reads: the
// stores and activities write them, the inspector, the API's event list and the tests read them.
import type { DecidedStatus } from './caseStatus';

/** The case's first event, stored with the case itself (an application or an enrolment). */
export const SUBMITTED_EVENT = 'submitted';

/** A leader's or instructor's decision, named after the status it leads to. */
export const decisionEvent = (status: DecidedStatus) => `decision.${status}` as const;

/** A notice to the applicant (confirmation, admitted, queued, …): `notice.<kind>`. */
export const NOTICE_EVENT_PREFIX = 'notice.';
export const noticeEvent = (notice: string) => `${NOTICE_EVENT_PREFIX}${notice}`;
