// When a parent may see a course's material (R2.7, R5.4): the one rule, used by the list in
// "Mina ärenden" and by the download check alike.
import type { DbTypes } from '../db';
import { PARTICIPANT_STATUSES } from '../../rules/caseStatus';

/** The parent's case as far as material is concerned. */
export interface MaterialReader {
  courseId: string;
  kind: DbTypes.CourseKind;
  status: DbTypes.ApplicationStatus;
  currentModule: number | null;
}

/** Admitted parents, and those who completed the course, keep their material. */
const READING_STATUSES: readonly DbTypes.ApplicationStatus[] = PARTICIPANT_STATUSES;

/**
 * The material this case may see at `now`, as a query; null when the case sees none at all.
 * Group course: a session's material opens when that session starts, material without a session
 * when the first session starts. Web course: module N's material opens when the parent has
 * reached module N; material without a module as soon as the parent is admitted. Training: material
 * without a session is the preparatory material, open on admission (R7.3); a session's opens with it.
 */
export function materialVisibleTo(reader: MaterialReader, now: Date): DbTypes.Prisma.MaterialWhereInput | null {
  if (!READING_STATUSES.includes(reader.status)) return null;
  if (reader.kind === 'webCourse') {
    return {
      courseId: reader.courseId,
      OR: [{ moduleNumber: null }, { moduleNumber: { lte: reader.currentModule ?? 0 } }],
    };
  }
  if (reader.kind === 'training') {
    return { courseId: reader.courseId, OR: [{ sessionId: null }, { session: { startsAt: { lte: now } } }] };
  }
  return {
    courseId: reader.courseId,
    OR: [
      { session: { startsAt: { lte: now } } },
      { sessionId: null, course: { sessions: { some: { startsAt: { lte: now } } } } },
    ],
  };
}
