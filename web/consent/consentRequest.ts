// Finding the consent request a manager's link points at (R6.2). The link is the credential: its
// signature and expiry, the stored token hash and the unused state must all hold, else nothing
// is shown and nothing changes.
import { safeEqual } from '../../lib/crypto';
import type { Db } from '../../lib/db';
import { checkConsentLink } from '../../lib/enrolments/consentLink';
import type { EnrolmentAnswers } from '../../lib/enrolments/enrolmentInput';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type LinkRefusal = 'invalid' | 'expired' | 'used';

async function loadRequest(db: Db, id: string) {
  return db.consentRequest.findUnique({
    where: { id },
    include: {
      application: {
        select: {
          id: true,
          status: true,
          workflowId: true,
          answers: true,
          person: { select: { name: true } },
          course: {
            select: { title: true, feeOre: true, sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } },
          },
        },
      },
    },
  });
}

export type ConsentCase = {
  requestId: string;
  applicationId: string;
  workflowId: string;
  applicant: { name: string; workplace: string; jobTitle: string };
  training: { title: string; feeOre: number | null; sessions: { startsAt: Date; endsAt: Date; place: string | null }[] };
};

export async function findConsentCase(
  db: Db,
  secret: string,
  requestId: string,
  query: { t?: string; e?: string; s?: string },
  now = new Date(),
): Promise<{ ok: true; found: ConsentCase } | { ok: false; reason: LinkRefusal }> {
  if (!UUID.test(requestId)) return { ok: false, reason: 'invalid' };
  const link = checkConsentLink(secret, requestId, query, now);
  if (!link.ok) return { ok: false, reason: link.reason };
  const request = await loadRequest(db, requestId);
  // Another request's token, even one correctly signed, does not open this one.
  if (!request || !safeEqual(request.tokenHash, link.tokenHash)) return { ok: false, reason: 'invalid' };
  if (request.usedAt || request.application.status !== 'awaitingConsent') return { ok: false, reason: 'used' };
  if (request.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  const app = request.application;
  const answers = (app.answers ?? {}) as Partial<EnrolmentAnswers>;
  return {
    ok: true,
    found: {
      requestId: request.id,
      applicationId: app.id,
      workflowId: app.workflowId,
      applicant: { name: app.person.name ?? '', workplace: answers.workplace ?? '', jobTitle: answers.jobTitle ?? '' },
      training: {
        title: app.course.title,
        feeOre: app.course.feeOre,
        sessions: app.course.sessions.map((s) => ({
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          place: s.room ? `${s.room.name}, ${s.room.address}` : null,
        })),
      },
    },
  };
}
