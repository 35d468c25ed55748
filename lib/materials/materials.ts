// Course material in the database (R2.7, R3.3, R5.1, R5.4): the list staff see, what a parent
// may read, and the bytes of one file. Lists never load the file content.
import type { Db, DbTypes } from '../db';
import { materialVisibleTo } from './visibility';

/** Everything but the bytes. */
export const MATERIAL_SUMMARY = {
  id: true,
  courseId: true,
  title: true,
  fileName: true,
  mimeType: true,
  sizeBytes: true,
  sessionId: true,
  moduleNumber: true,
  createdAt: true,
  session: { select: { startsAt: true } },
} satisfies DbTypes.Prisma.MaterialSelect;

export type MaterialSummary = DbTypes.Prisma.MaterialGetPayload<{ select: typeof MATERIAL_SUMMARY }>;

const ORDER: DbTypes.Prisma.MaterialOrderByWithRelationInput[] = [{ moduleNumber: 'asc' }, { session: { startsAt: 'asc' } }, { createdAt: 'asc' }];

export async function courseMaterials(db: Db, courseId: string, page: { skip: number; take: number }) {
  const [total, rows] = await Promise.all([
    db.material.count({ where: { courseId } }),
    db.material.findMany({ where: { courseId }, select: MATERIAL_SUMMARY, orderBy: ORDER, ...page }),
  ]);
  return { total, rows };
}

/** The material shown on a parent's case page; null when the case gives no material at all. */
export async function materialsForCase(db: Db, applicationId: string, now = new Date()): Promise<MaterialSummary[] | null> {
  const app = await db.application.findUnique({
    where: { id: applicationId },
    select: { courseId: true, kind: true, status: true, currentModule: true },
  });
  const where = app && materialVisibleTo(app, now);
  if (!where) return null;
  return db.material.findMany({ where, select: MATERIAL_SUMMARY, orderBy: ORDER });
}

/**
 * One file with its bytes, if this person may download it: staff who handle its course
 * (`staffScope` from lib/policy materialReach), or a parent whose case in the course lets them see it.
 */
export async function downloadableMaterial(
  db: Db,
  id: string,
  who: { personId: string; staffScope: DbTypes.Prisma.CourseWhereInput | null },
  now = new Date(),
) {
  const found = await db.material.findUnique({ where: { id }, select: { courseId: true } });
  if (!found) return null;
  const full = { id: true, title: true, fileName: true, mimeType: true, sizeBytes: true, content: true } as const;
  if (who.staffScope) {
    const asStaff = await db.material.findFirst({ where: { id, course: who.staffScope }, select: full });
    if (asStaff) return asStaff;
  }
  const cases = await db.application.findMany({
    where: { personId: who.personId, courseId: found.courseId },
    select: { courseId: true, kind: true, status: true, currentModule: true },
  });
  const rules = cases.map((c) => materialVisibleTo(c, now)).filter((w): w is DbTypes.Prisma.MaterialWhereInput => !!w);
  if (!rules.length) return null;
  return db.material.findFirst({ where: { id, OR: rules }, select: full });
}
