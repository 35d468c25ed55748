// Notices to the applicant: the full notice is a case event shown in "Mina ärenden"; the e-mail
// and SMS say only what kind of thing happened and give the link, since taking part in Komet is
// itself sensitive (a session reminder and an offer also name the time). They are bundled per case
// and sent in the person's language (lib/notices/caseNotices.ts, issue 16).
import type { Db, DbTypes } from '../lib/db';
import { nearestDistrictWithFreeSeats, queuePosition } from '../lib/cases/queue';
import { tellCase, type CaseNoticeDeps } from '../lib/notices/caseNotices';
import type { NoticeKind } from '../workflows/parentApplication.messages';
import { noticeEvent } from '../rules/caseEvents';

export type { CaseNoticeDeps };

export interface SendCaseNoticeInput {
  caseNumber: string;
  applicationId: string;
  notice: NoticeKind;
  /** Ids and times only, e.g. the session a reminder is for or the offer's deadline. */
  details?: { sessionId?: string; courseId?: string; expiresAt?: string; moduleNumber?: number };
  /** workflow id + step: the same notice is never recorded or sent twice. */
  idempotencyKey: string;
}

export function createCaseNoticeActivities(deps: CaseNoticeDeps) {
  const { db } = deps;
  return {
    async sendCaseNotice(input: SendCaseNoticeInput): Promise<void> {
      const app = await db.application.findUniqueOrThrow({
        where: { id: input.applicationId },
        include: {
          course: { include: { sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } } },
        },
      });
      const data = await noticeDetails(db, input, app);
      await db.caseEvent.upsert({
        where: { dedupeKey: input.idempotencyKey },
        create: { applicationId: app.id, type: noticeEvent(input.notice), actor: 'system', data, dedupeKey: input.idempotencyKey },
        update: {},
      });
      await tellCase(deps, { applicationId: app.id, key: input.idempotencyKey, kind: input.notice, at: noticeTime(input.notice, data) });
    },
  };
}

type SessionRow = { id: string; startsAt: Date; endsAt: Date; room: { name: string; address: string } | null };
type ApplicationWithCourse = {
  id: string;
  kind: 'groupCourse' | 'webCourse' | 'training';
  courseId: string;
  course: { title: string; districtId: string | null; sessions: SessionRow[] };
};

const sessionData = (s: SessionRow) => ({
  sessionId: s.id,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  place: s.room ? `${s.room.name}, ${s.room.address}` : null,
});

async function noticeDetails(db: Db, input: SendCaseNoticeInput, app: ApplicationWithCourse): Promise<DbTypes.Prisma.InputJsonObject> {
  const courseTitle = app.course.title;
  switch (input.notice) {
    case 'admitted':
      return { courseTitle, sessions: app.course.sessions.map(sessionData) };
    case 'queued': {
      const nearest = app.course.districtId ? await nearestDistrictWithFreeSeats(db, app.course.districtId, app.kind) : null;
      return { courseTitle, queuePosition: await queuePosition(db, app.id), nearestDistrict: nearest };
    }
    case 'offered': {
      const course = await db.course.findUniqueOrThrow({
        where: { id: input.details?.courseId ?? app.courseId },
        include: { sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } },
      });
      return { courseTitle: course.title, expiresAt: input.details?.expiresAt ?? null, sessions: course.sessions.map(sessionData) };
    }
    case 'sessionReminder':
    case 'scheduleChanged': {
      const session = app.course.sessions.find((s) => s.id === input.details?.sessionId);
      return session ? { courseTitle, ...sessionData(session) } : { courseTitle };
    }
    case 'moduleOpened':
      return { courseTitle, moduleNumber: input.details?.moduleNumber ?? null };
    case 'deadlineChanged':
      return { courseTitle, deadline: input.details?.expiresAt ?? null };
    default:
      return { courseTitle };
  }
}

/** The one time the outside text may name: a reminder's session start, an offer's deadline. */
function noticeTime(notice: NoticeKind, data: DbTypes.Prisma.InputJsonObject): string | null {
  const at = notice === 'sessionReminder' ? data.startsAt : notice === 'offered' ? data.expiresAt : null;
  return typeof at === 'string' ? at : null;
}
