// The case statuses for code with database access: the rules' one list (rules/caseStatus.ts), tied
// here at compile time to the database enum, so that neither can gain or lose a status alone.
import type { DbTypes } from '../db';
import type { ApplicationStatus } from '../../rules/caseStatus';

export { APPLICATION_STATUSES, ACTIVE_STATUSES, CLOSED_STATUSES, isClosedStatus, isApplicationStatus } from '../../rules/caseStatus';
export type { ApplicationStatus } from '../../rules/caseStatus';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when the rules' statuses and the database enum differ. */
export const STATUSES_MATCH_DATABASE: Same<ApplicationStatus, DbTypes.ApplicationStatus> = true;
