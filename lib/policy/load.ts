// The policy's objects loaded by their public reference, with the facts its answers need. A caller
// gets the object only when the policy allows it; otherwise null, the same as a missing one, so a
// route answers 404 in both cases and nobody learns what exists outside their reach.
import { CASE_NUMBER_PATTERN } from '../cases/caseNumber';
import type { Db, DbTypes } from '../db';
import { mayActOnCase, mayOpenCourse, mayStateReasonFor, type CaseAction, type PolicyUser } from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CASE_FACTS = { course: { select: { id: true, districtId: true } } } as const;

async function caseByNumber(db: Db, caseNumber: string | undefined) {
  if (!caseNumber || !CASE_NUMBER_PATTERN.test(caseNumber)) return null;
  return db.application.findUnique({ where: { caseNumber }, include: { person: true, ...CASE_FACTS } });
}

/** A case the user may take this action on, with its applicant; null when missing or not theirs. */
export async function caseFor(db: Db, user: PolicyUser, caseNumber: string | undefined, action: CaseAction) {
  const found = await caseByNumber(db, caseNumber);
  return found && mayActOnCase(user, found, action) ? found : null;
}

/** The case the reason gate may record a look at (POST /personal/atkomst); null otherwise. */
export async function gatedCase(db: Db, user: PolicyUser, caseNumber: string | undefined) {
  const found = await caseByNumber(db, caseNumber);
  return found && mayStateReasonFor(user, found) ? { id: found.id, caseNumber: found.caseNumber } : null;
}

/**
 * A course the user handles, loaded with `include`; null when missing or outside their courses.
 * `allowed` narrows further (for example to the area's roles or the trainings one runs).
 */
export async function courseFor<I extends DbTypes.Prisma.CourseInclude>(
  db: Db,
  user: PolicyUser,
  courseId: string | undefined,
  include: I,
  allowed: (user: PolicyUser, course: { id: string; districtId: string | null }) => boolean = mayOpenCourse,
) {
  if (!courseId || !UUID.test(courseId)) return null;
  const course = await db.course.findUnique({ where: { id: courseId }, include });
  return course && allowed(user, course) ? course : null;
}
