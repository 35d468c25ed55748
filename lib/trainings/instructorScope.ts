// Which trainings an instructor runs (R7.1): the trainings of their grants; an admin sees all.
// Another training answers like a missing one (404 in the routes), never "forbidden".
import type { ScopedGrant } from '../access';
import { handledCourses } from '../access';
import type { Db } from '../db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined): value is string {
  return !!value && UUID.test(value);
}

export async function listInstructedTrainings(db: Db, grants: ScopedGrant[]) {
  const scope = handledCourses(grants.filter((g) => g.role === 'instructor' || g.role === 'admin'));
  if (!scope) return [];
  return db.course.findMany({
    where: { AND: [{ kind: 'training' }, scope] },
    select: { id: true, title: true, status: true, capacity: true, _count: { select: { applications: { where: { status: 'consented' } } } } },
    orderBy: { title: 'asc' },
  });
}

/** The training if the user instructs it (or is admin), else null. */
export async function instructedTraining(db: Db, grants: ScopedGrant[], courseId: string | undefined) {
  const scope = handledCourses(grants.filter((g) => g.role === 'instructor' || g.role === 'admin'));
  if (!scope || !isUuid(courseId)) return null;
  return db.course.findFirst({ where: { AND: [{ id: courseId, kind: 'training' }, scope] } });
}
