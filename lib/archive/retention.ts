// Retention (R9.3, R11.5): a closed case is kept whole for a set time; then its archive package is
// made and the personal data the city may no longer keep in the running system is erased. The
// package (the final archive copy) keeps everything; the database keeps what statistics,
// bookkeeping, verification and the audit trail need.
//
// ERASED (the package has it all):
//  - application.answers → {} and queueReason → null: the form's free text, the child's age,
//    a professional's workplace and manager.
//  - every case event's data → {}: message texts and subjects, places and course details of
//    notices. The event itself stays (type, actor id, time): the diary's skeleton, for statistics.
//  - diary notes (web course): deleted, they are the parent's and the guide's own words.
//  - survey invitations: deleted; they tie the person to a survey and say whether they answered.
//    The answers themselves never knew the person and stay (R4.3).
//  - the case's notifications (notices, messages, diary answers, the manager's e-mails):
//    recipient, subject and body blanked; channel, status and times stay.
//  - consent request: the manager's e-mail → placeholder, comment → null.
//  - the person (name, personnummer, phone → null; e-mail → unique placeholder, since it is
//    unique and the login key), with their login tokens, sessions, calendar feed and the login
//    e-mails sent to them, but ONLY when they have no other case that is not erased yet and no
//    staff grant: a parent with a running case or a staff member keeps their account.
// KEPT:
//  - case number, kind, course, district (via the course), status and every date: the diarium
//    and the statistics keep working (R9.1, R9.3).
//  - the archive package (the final copy, with its checksum).
//  - invoices (bookkeeping law) and the certificate with the holder's name (anyone may verify it
//    at the public address, R8.8).
//  - seat offers and attendance (statuses and times only, no personal data once the person is
//    erased); supervision group; guide.
//  - the audit trail: who looked at the case and why outlives the case (R11.5).
// Idempotent: a case already erased is left as it is (erasedAt is set once).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { loadSetting, saveSetting } from '../settings';
import { smsNumber } from '../sms/smsNumber';
import { caseNotificationWhere } from './caseRecord';
import { CLOSED_STATUSES } from '../cases/caseStatus';

export const ArchiveRetentionSchema = z.object({
  /** Months after closing before a case is archived and its personal data erased. */
  retentionMonths: z.number().int().min(1).max(600),
});
export type ArchiveRetention = z.infer<typeof ArchiveRetentionSchema>;
export const DEFAULT_ARCHIVE_RETENTION: ArchiveRetention = { retentionMonths: 24 };
const KEY = 'archiveRetention';

export function loadArchiveRetention(db: Db): Promise<ArchiveRetention> {
  return loadSetting(db, KEY, ArchiveRetentionSchema, DEFAULT_ARCHIVE_RETENTION);
}

export function saveArchiveRetention(db: Db, value: Partial<ArchiveRetention>, updatedBy: string | null): Promise<ArchiveRetention> {
  return saveSetting(db, KEY, ArchiveRetentionSchema, DEFAULT_ARCHIVE_RETENTION, value, updatedBy);
}

/**
 * How long a closed case of this kind stays in the service before it is archived and its personal
 * data erased. One period for every kind today; the privacy page (web/about) shows it per kind
 * through this, so the page and the retention run cannot disagree.
 */
export function retentionMonthsFor(retention: ArchiveRetention, _kind: 'groupCourse' | 'webCourse' | 'training'): number {
  return retention.retentionMonths;
}

/** Cases closed before this instant are due (calendar months back from `now`, UTC). */
export function retentionCutoff(now: Date, retention: ArchiveRetention): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retention.retentionMonths);
  return cutoff;
}

/** Closed before the cutoff and not erased yet, by id after `afterId` (keyset paging). Ids only. */
export async function casesDueForRetention(db: Db, cutoff: Date, limit: number, afterId?: string | null): Promise<string[]> {
  const rows = await db.application.findMany({
    where: {
      status: { in: [...CLOSED_STATUSES] },
      closedAt: { lt: cutoff },
      erasedAt: null,
      ...(afterId ? { id: { gt: afterId } } : {}),
    },
    select: { id: true },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.id);
}

export const ERASED_EMAIL_DOMAIN = 'invalid';
export const erasedEmail = () => `raderad-${randomUUID()}@${ERASED_EMAIL_DOMAIN}`;
const ERASED_TEXT = '';
const ERASED_RECIPIENT = 'raderad';

export type EraseResult =
  | { ok: true; alreadyErased: boolean; personErased: boolean }
  | { ok: false; code: 'not-found' | 'not-closed' | 'no-package' };

/**
 * Erases the personal data of one closed, archived case (see the policy above). Refuses a case
 * without a stored package: nothing is erased that the archive does not hold.
 */
export async function eraseCaseData(db: Db, applicationId: string, now = new Date()): Promise<EraseResult> {
  return db.$transaction(async (tx) => {
    // Locks the case row: two runs erasing the same case serialise here.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM application WHERE id = ${applicationId}::uuid FOR UPDATE`;
    if (!locked.length) return { ok: false as const, code: 'not-found' as const };
    const app = await tx.application.findUniqueOrThrow({
      where: { id: applicationId },
      select: { id: true, caseNumber: true, workflowId: true, personId: true, status: true, erasedAt: true, archivePackage: { select: { id: true } } },
    });
    if (app.erasedAt) return { ok: true as const, alreadyErased: true, personErased: false };
    if (!(CLOSED_STATUSES as readonly string[]).includes(app.status)) return { ok: false as const, code: 'not-closed' as const };
    if (!app.archivePackage) return { ok: false as const, code: 'no-package' as const };

    const messageEvents = await tx.caseEvent.findMany({ where: { applicationId, type: 'message' }, select: { id: true } });
    const notes = await tx.diaryNote.findMany({ where: { applicationId }, select: { id: true } });
    await tx.notification.updateMany({
      where: caseNotificationWhere(app, messageEvents.map((e) => e.id), notes.map((n) => n.id)),
      data: { recipient: ERASED_RECIPIENT, subject: ERASED_TEXT, body: ERASED_TEXT },
    });
    await tx.caseEvent.updateMany({ where: { applicationId }, data: { data: {} } });
    await tx.diaryNote.deleteMany({ where: { applicationId } });
    await tx.surveyInvitation.deleteMany({ where: { applicationId } });
    await tx.consentRequest.updateMany({ where: { applicationId }, data: { managerEmail: erasedEmail(), comment: null } });
    await tx.application.update({ where: { id: applicationId }, data: { answers: {}, queueReason: null, erasedAt: now } });
    const personErased = await erasePersonIfUnused(tx, app.personId);
    return { ok: true as const, alreadyErased: false, personErased };
  });
}

/** The applicant's own data, once no case of theirs still needs it and they are not staff. */
async function erasePersonIfUnused(tx: DbTypes.Prisma.TransactionClient, personId: string): Promise<boolean> {
  const [otherCases, grants, person] = await Promise.all([
    tx.application.count({ where: { personId, erasedAt: null } }),
    tx.roleGrant.count({ where: { personId } }),
    tx.person.findUniqueOrThrow({ where: { id: personId }, select: { email: true, phone: true } }),
  ]);
  if (otherCases > 0 || grants > 0 || person.email.endsWith(`@${ERASED_EMAIL_DOMAIN}`)) return false;
  const sms = smsNumber(person.phone);
  const tokens = await tx.loginToken.findMany({ where: { personId }, select: { id: true } });
  await tx.notification.updateMany({
    where: {
      OR: [
        { idempotencyKey: { in: tokens.map((t) => `login:${t.id}`) } },
        { recipient: person.email },
        ...(sms ? [{ recipient: sms }] : []),
      ],
    },
    data: { recipient: ERASED_RECIPIENT, subject: ERASED_TEXT, body: ERASED_TEXT },
  });
  await tx.loginToken.deleteMany({ where: { personId } });
  await tx.webSession.deleteMany({ where: { personId } });
  await tx.calendarFeed.deleteMany({ where: { personId } });
  await tx.person.update({ where: { id: personId }, data: { name: null, personnummer: null, phone: null, email: erasedEmail() } });
  return true;
}
