// Notices to the applicant: the full notice is a case event shown in "Mina ärenden"; the e-mail
// carries only a short text and the link, since taking part in Komet is itself sensitive.
import type { Db } from '../lib/db';
import { deliverNotice, type NoticeDeps } from '../lib/notify';
import { nearestDistrictRunningKomet, queuePosition } from '../lib/cases/queue';
import type { NoticeKind } from '../workflows/parentApplication.messages';

export type CaseNoticeDeps = NoticeDeps & { config: { publicUrl: string } };

export interface SendCaseNoticeInput {
  caseNumber: string;
  applicationId: string;
  notice: NoticeKind;
  /** workflow id + step: the same notice is never recorded or sent twice. */
  idempotencyKey: string;
}

export function createCaseNoticeActivities(deps: CaseNoticeDeps) {
  const { db } = deps;
  const publicUrl = deps.config.publicUrl;
  return {
    async sendCaseNotice(input: SendCaseNoticeInput): Promise<void> {
      const app = await db.application.findUniqueOrThrow({
        where: { id: input.applicationId },
        include: {
          person: { select: { email: true, phone: true } },
          course: { include: { sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } } },
        },
      });
      const data = await noticeDetails(db, input.notice, app);
      await db.caseEvent.upsert({
        where: { dedupeKey: input.idempotencyKey },
        create: {
          applicationId: app.id,
          type: `notice.${input.notice}`,
          actor: 'system',
          data,
          dedupeKey: input.idempotencyKey,
        },
        update: {},
      });
      await deliverNotice(deps, {
        email: app.person.email,
        phone: app.person.phone,
        sms: `Du har ett nytt meddelande från Stockholms stad: ${publicUrl}/mina-arenden`,
        subject: 'Nytt meddelande i ditt ärende hos Stockholms stad',
        body: [
          'Hej!',
          '',
          'Det finns ett nytt meddelande i ditt ärende hos Stockholms stad.',
          `Logga in på Mina ärenden för att läsa det: ${publicUrl}/mina-arenden`,
          '',
          'Det här meddelandet går inte att svara på.',
        ].join('\n'),
        idempotencyKey: input.idempotencyKey,
      });
    },
  };
}

type ApplicationWithCourse = {
  id: string;
  kind: 'groupCourse' | 'webCourse' | 'training';
  course: {
    title: string;
    districtId: string | null;
    sessions: { startsAt: Date; endsAt: Date; room: { name: string; address: string } | null }[];
  };
};

async function noticeDetails(db: Db, notice: NoticeKind, app: ApplicationWithCourse) {
  switch (notice) {
    case 'confirmation':
      return { courseTitle: app.course.title };
    case 'admitted':
      return {
        courseTitle: app.course.title,
        sessions: app.course.sessions.map((s) => ({
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          place: s.room ? `${s.room.name}, ${s.room.address}` : null,
        })),
      };
    case 'queued': {
      const nearest = app.course.districtId
        ? await nearestDistrictRunningKomet(db, app.course.districtId, app.kind)
        : null;
      return { courseTitle: app.course.title, queuePosition: await queuePosition(db, app.id), nearestDistrict: nearest };
    }
  }
}
