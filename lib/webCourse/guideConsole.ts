// The guide's own parents (R5.3): who works on which module, when they last wrote, and who is
// behind. Only applications with guideId = the guide: another guide's parent does not exist here.
import type { Db } from '../db';
import { MODULE_SIGNED_OFF_EVENT } from './progress';
import { PARTICIPANT_STATUSES } from '../../rules/caseStatus';

/** The parents a guide follows: in the course now, or finished with it. */
const GUIDED_STATUSES = PARTICIPANT_STATUSES;

export interface GuidedParent {
  caseNumber: string;
  name: string | null;
  status: string;
  currentModule: number | null;
  moduleCount: number;
  lastNoteAt: Date | null;
  /** Since when the parent has been quiet: their last note, or the current module's opening if later. */
  quietSince: Date | null;
  behind: boolean;
}

/**
 * Behind ("ligger efter"): quiet for longer than the inactivity setting, counted from the parent's
 * last diary note, or from when the current module opened if they have written nothing since.
 */
export function isBehind(quietSince: Date | null, now: Date, inactivityMs: number): boolean {
  return quietSince !== null && now.getTime() - quietSince.getTime() > inactivityMs;
}

export function latest(...dates: (Date | null | undefined)[]): Date | null {
  const known = dates.filter((d): d is Date => d instanceof Date);
  return known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : null;
}

/** Behind first (the longest quiet first), then the others, finished ones last. */
export function byAttention(a: GuidedParent, b: GuidedParent): number {
  const rank = (p: GuidedParent) => (p.behind ? 0 : p.quietSince ? 1 : 2);
  return (
    rank(a) - rank(b) ||
    (a.quietSince?.getTime() ?? 0) - (b.quietSince?.getTime() ?? 0) ||
    a.caseNumber.localeCompare(b.caseNumber)
  );
}

export async function listGuidedParents(db: Db, guideId: string, inactivityMs: number, now = new Date()): Promise<GuidedParent[]> {
  const apps = await db.application.findMany({
    where: { guideId, status: { in: [...GUIDED_STATUSES] } },
    select: {
      id: true,
      caseNumber: true,
      status: true,
      currentModule: true,
      decidedAt: true,
      submittedAt: true,
      courseId: true,
      person: { select: { name: true } },
    },
  });
  if (!apps.length) return [];
  const ids = apps.map((a) => a.id);
  const courseIds = [...new Set(apps.map((a) => a.courseId))];
  const [lastNotes, signOffs, counts] = await Promise.all([
    db.diaryNote.groupBy({ by: ['applicationId'], where: { applicationId: { in: ids }, fromGuide: false }, _max: { createdAt: true } }),
    // The newest sign-off per case is the moment its current module opened.
    db.caseEvent.findMany({
      where: { applicationId: { in: ids }, type: MODULE_SIGNED_OFF_EVENT },
      orderBy: { createdAt: 'desc' },
      distinct: ['applicationId'],
      select: { applicationId: true, createdAt: true },
    }),
    db.courseModule.groupBy({ by: ['courseId'], where: { courseId: { in: courseIds } }, _count: { _all: true } }),
  ]);
  const lastNoteOf = new Map(lastNotes.map((n) => [n.applicationId, n._max.createdAt]));
  const openedOf = new Map(signOffs.map((e) => [e.applicationId, e.createdAt]));
  const countOf = new Map(counts.map((c) => [c.courseId, c._count._all]));
  return apps
    .map((a) => {
      const lastNoteAt = lastNoteOf.get(a.id) ?? null;
      const moduleOpenedAt = openedOf.get(a.id) ?? a.decidedAt ?? a.submittedAt;
      const moduleCount = countOf.get(a.courseId) ?? 0;
      // A parent whose modules are all signed off has nothing left to write for.
      const active = a.status === 'admitted' && (a.currentModule === null || a.currentModule <= moduleCount);
      const quietSince = active ? latest(lastNoteAt, moduleOpenedAt) : null;
      return {
        caseNumber: a.caseNumber,
        name: a.person.name,
        status: a.status,
        currentModule: a.currentModule,
        moduleCount,
        lastNoteAt,
        quietSince,
        behind: active && isBehind(quietSince, now, inactivityMs),
      };
    })
    .sort(byAttention);
}

/** A web-course case with its parent, for the guide console; whether it is this guide's parent is the policy's answer. */
export async function guidedApplication(db: Db, caseNumber: string) {
  return db.application.findFirst({
    where: { caseNumber, kind: 'webCourse' },
    include: { person: { select: { name: true, email: true, phone: true } }, course: { select: { id: true, districtId: true } } },
  });
}
