// Open trainings for professionals (R6.1): the public catalogue's view of a course, plus its fee.
import { getOpenCourse, listOpenCourses, type CatalogCourse } from '../../lib/courses/catalog';
import type { Db } from '../../lib/db';

export type Training = CatalogCourse & { feeOre: number | null };

async function withFees(db: Db, courses: CatalogCourse[]): Promise<Training[]> {
  const fees = await db.course.findMany({ where: { id: { in: courses.map((c) => c.id) } }, select: { id: true, feeOre: true } });
  const feeOf = new Map(fees.map((f) => [f.id, f.feeOre]));
  return courses.map((c) => ({ ...c, feeOre: feeOf.get(c.id) ?? null }));
}

export async function listOpenTrainings(db: Db): Promise<Training[]> {
  return withFees(db, await listOpenCourses(db, { kind: 'training' }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An open training, or null (also for a malformed id and for the parents' courses). */
export async function getOpenTraining(db: Db, id: string): Promise<Training | null> {
  const course = UUID.test(id) ? await getOpenCourse(db, id) : null;
  if (!course || course.kind !== 'training') return null;
  const [training] = await withFees(db, [course]);
  return training;
}
