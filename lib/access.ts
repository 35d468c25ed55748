// Least privilege (R3.2, R11.5): which courses a staff member may handle. A group leader sees
// only the courses of their districts and their granted courses; an admin sees all.
import type { DbTypes } from './db';

export interface ScopedGrant {
  role: string;
  districtId: string | null;
  courseId: string | null;
}

export function handledCourses(grants: ScopedGrant[]): DbTypes.Prisma.CourseWhereInput | null {
  if (grants.some((g) => g.role === 'admin')) return {};
  // Guides are granted web courses just as leaders are granted districts' courses (R5.1).
  // Instructors are granted trainings the same way (R7.1).
  const leader = grants.filter((g) => g.role === 'groupLeader' || g.role === 'guide' || g.role === 'instructor');
  const districtIds = leader.map((g) => g.districtId).filter((x): x is string => !!x);
  const courseIds = leader.map((g) => g.courseId).filter((x): x is string => !!x);
  if (!districtIds.length && !courseIds.length) return null;
  return { OR: [{ districtId: { in: districtIds } }, { id: { in: courseIds } }] };
}
