// Which trainings an instructor runs (R7.1): the access policy's training scope (lib/policy); an
// admin sees all. Another training answers like a missing one (404 in the routes), never "forbidden".
import type { Db } from '../db';
import { trainingScope, type PolicyUser } from '../policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined): value is string {
  return !!value && UUID.test(value);
}

export async function listInstructedTrainings(db: Db, user: PolicyUser) {
  const scope = trainingScope(user);
  if (!scope) return [];
  return db.course.findMany({
    where: { AND: [{ kind: 'training' }, scope] },
    select: { id: true, title: true, status: true, capacity: true, _count: { select: { applications: { where: { status: 'consented' } } } } },
    orderBy: { title: 'asc' },
  });
}

/** The training if the user instructs it (or is admin), else null. */
export async function instructedTraining(db: Db, user: PolicyUser, courseId: string | undefined) {
  const scope = trainingScope(user);
  if (!scope || !isUuid(courseId)) return null;
  return db.course.findFirst({ where: { AND: [{ id: courseId, kind: 'training' }, scope] } });
}
