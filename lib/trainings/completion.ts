// A participant's training as the records hold it: its sessions, their registered attendance, the
// training's attendance requirement and the instructor's "Godkänd". The rules that decide with
// these facts are in rules/training.ts (approval, certificate, the public check's validity).
import type { Db, DbTypes } from '../db';
import type { TrainingFacts } from '../../rules/training';

type Reader = Db | DbTypes.Prisma.TransactionClient;

export async function loadTrainingFacts(db: Reader, applicationId: string): Promise<TrainingFacts> {
  const app = await db.application.findUniqueOrThrow({
    where: { id: applicationId },
    select: {
      approvedAt: true,
      attendance: { select: { sessionId: true, present: true } },
      course: { select: { requiredAttendancePercent: true, sessions: { select: { id: true, startsAt: true, endsAt: true } } } },
    },
  });
  return {
    sessions: app.course.sessions,
    attendance: app.attendance,
    requiredAttendancePercent: app.course.requiredAttendancePercent,
    approvedAt: app.approvedAt,
  };
}
