// Forms saved before they are sent (issue 16, GOV.UK "save and come back later"): one draft per
// person and course, the answers as typed. A draft holds personal data (a personnummer), so it is
// kept only DRAFT_DAYS from its last save, deleted when the application is sent, and only its
// owner ever reads it: every query here is by the owner's id.
import { DbTypes, type Db } from '../db';

export const DRAFT_DAYS = 30;
const DAY_MS = 86_400_000;

/** The fields a draft may hold, each cut to a sane length: a draft is not validated. */
const DRAFT_FIELD_MAX = 4000;

export type DraftAnswers = Record<string, string>;

export interface DraftRow {
  id: string;
  courseId: string;
  courseTitle: string;
  courseKind: 'groupCourse' | 'webCourse' | 'training';
  districtName: string | null;
  updatedAt: Date;
  expiresAt: Date;
}

/** Only the named fields, as strings, cut to size: whatever else the form held is dropped. */
export function draftAnswers(form: Record<string, unknown>, fields: readonly string[]): DraftAnswers {
  const out: DraftAnswers = {};
  for (const name of fields) {
    const v = form[name];
    if (typeof v === 'string') out[name] = v.slice(0, DRAFT_FIELD_MAX);
  }
  return out;
}

export async function saveDraft(db: Db, personId: string, courseId: string, answers: DraftAnswers, now = new Date()): Promise<{ expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + DRAFT_DAYS * DAY_MS);
  await db.applicationDraft.upsert({
    where: { personId_courseId: { personId, courseId } },
    create: { personId, courseId, answers, expiresAt },
    update: { answers, expiresAt },
  });
  return { expiresAt };
}

/** The owner's draft for a course, unless it has expired. */
export async function loadDraft(db: Db, personId: string, courseId: string, now = new Date()): Promise<{ answers: DraftAnswers; expiresAt: Date } | null> {
  const row = await db.applicationDraft.findUnique({ where: { personId_courseId: { personId, courseId } } });
  if (!row || row.expiresAt <= now) return null;
  return { answers: row.answers as DraftAnswers, expiresAt: row.expiresAt };
}

/**
 * The owner's live drafts as DraftRow columns, unordered: a fragment for `Db['sql']`, so that
 * "Mina ärenden" (the parent's landing page) reads them in the same statement as the cases. The
 * owner is a SQL expression of their id: a parameter, or the session's person (web/security/session.ts).
 */
export function ownDraftsSql(owner: DbTypes.Prisma.Sql, now: Date): DbTypes.Prisma.Sql {
  return DbTypes.Prisma.sql`
    SELECT d.id, d.course_id AS "courseId", c.title AS "courseTitle", c.kind::text AS "courseKind",
           di.name AS "districtName", d.updated_at AS "updatedAt", d.expires_at AS "expiresAt"
    FROM application_draft d JOIN course c ON c.id = d.course_id LEFT JOIN district di ON di.id = c.district_id
    WHERE d.person_id = ${owner} AND d.expires_at > ${now}`;
}

/** The owner's drafts, newest first. */
export function listDrafts(db: Db, personId: string, now = new Date()): Promise<DraftRow[]> {
  return db.sql<DraftRow>`${ownDraftsSql(DbTypes.Prisma.sql`${personId}::uuid`, now)} ORDER BY "updatedAt" DESC`;
}

/** One of the owner's drafts by id; someone else's answers exactly like a missing one. */
export async function ownDraft(db: Db, personId: string, id: string): Promise<DraftRow | null> {
  return (await listDrafts(db, personId)).find((d) => d.id === id) ?? null;
}

export async function deleteDraft(db: Db, personId: string, id: string): Promise<boolean> {
  return (await db.applicationDraft.deleteMany({ where: { id, personId } })).count > 0;
}

/** The application is sent: its draft goes. */
export async function deleteDraftFor(db: Db, personId: string, courseId: string): Promise<void> {
  await db.applicationDraft.deleteMany({ where: { personId, courseId } });
}

/** The worker's daily sweep: drafts past their time are deleted, not merely hidden. */
export async function purgeExpiredDrafts(db: Db, now = new Date()): Promise<number> {
  return (await db.applicationDraft.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

/** Where a draft is taken up again: the course's or the training's form. */
export function draftFormPath(d: Pick<DraftRow, 'courseId' | 'courseKind'>): string {
  return d.courseKind === 'training' ? `/utbildningar/${d.courseId}/anmal` : `/kurser/${d.courseId}/ansok`;
}
