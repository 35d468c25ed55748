// Attendance per session (R7.5): present/absent for the training's admitted participants, one
// submit from a phone, once the session has started (rules/sessions.ts canMarkAttendance). A mark
// naming anyone else, or for a session ahead, is refused as a whole, nothing stored.
import { canMarkAttendance } from '../../rules/sessions';
import { ALLOWED, type Verdict } from '../../rules/refusals';
import type { Db } from '../db';

/** Form field per participant: `n-<applicationId>` = present | absent. */
export const MARK_PREFIX = 'n-';

export function admittedParticipants(db: Db, courseId: string) {
  return db.application.findMany({
    where: { courseId, kind: 'training', status: 'admitted' },
    select: { id: true, caseNumber: true, person: { select: { name: true } }, group: { select: { name: true } } },
    orderBy: [{ group: { name: 'asc' } }, { person: { name: 'asc' } }],
  });
}

export type MarksResult = { ok: true; marks: Map<string, boolean> } | { ok: false; error: 'instructor.attendance.notAdmitted' | 'instructor.attendance.invalid' };

/** Reads the marks; every named application must be admitted in this training. */
export function readMarks(form: Record<string, unknown>, admittedIds: Set<string>): MarksResult {
  const marks = new Map<string, boolean>();
  for (const [key, value] of Object.entries(form)) {
    if (!key.startsWith(MARK_PREFIX)) continue;
    const id = key.slice(MARK_PREFIX.length);
    if (!admittedIds.has(id)) return { ok: false, error: 'instructor.attendance.notAdmitted' };
    if (value !== 'present' && value !== 'absent') return { ok: false, error: 'instructor.attendance.invalid' };
    marks.set(id, value === 'present');
  }
  return { ok: true, marks };
}

/** Stores the marks, or refuses them all for a session that has not started. */
export async function saveMarks(
  db: Db,
  session: { id: string; startsAt: Date },
  marks: Map<string, boolean>,
  markedById: string,
  now = new Date(),
): Promise<Verdict<'session-not-started'>> {
  const open = canMarkAttendance(session, now);
  if (!open.ok) return open;
  const sessionId = session.id;
  const markedAt = now;
  await db.$transaction(
    [...marks].map(([applicationId, present]) =>
      db.attendance.upsert({
        where: { sessionId_applicationId: { sessionId, applicationId } },
        create: { sessionId, applicationId, present, markedById, markedAt },
        update: { present, markedById, markedAt },
      }),
    ),
  );
  return ALLOWED;
}

export async function previousMarks(db: Db, sessionId: string): Promise<Record<string, boolean>> {
  const rows = await db.attendance.findMany({ where: { sessionId }, select: { applicationId: true, present: true } });
  return Object.fromEntries(rows.map((r) => [r.applicationId, r.present]));
}
