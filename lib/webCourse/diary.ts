// The web-course diary (R5.3): the parent writes about the current module; the guide answers.
// A parent's note resets the guidance workflow's inactivity clock; a guide's answer reaches the
// parent as the city's usual discreet notice: something to read, and the link (never the text).
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../db';
import { caseUpdateNotice, deliverNotice, type NoticeDeps } from '../notify';
import * as guidanceCommands from '../commands/webCourseGuidance';
import { templateLangOf } from '../templates/messageTemplates';

export const DIARY_MAX = 4000;

/** Messages are translation keys (see fieldErrors in lib/cases/applicationInput). */
export const DiaryNoteForm = z.object({
  body: z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, { error: 'errors.required' })
    .max(DIARY_MAX, { error: 'errors.tooLong' }),
});

interface DiaryCase {
  id: string;
  caseNumber: string;
  currentModule: number | null;
}

/** The module a note belongs to: the current one, or the last one once all are signed off. */
async function noteModule(db: Db, app: DiaryCase & { courseId?: string }): Promise<number> {
  if (app.currentModule !== null && app.courseId) {
    const last = await db.courseModule.aggregate({ where: { courseId: app.courseId }, _max: { number: true } });
    return Math.min(app.currentModule, last._max.number ?? app.currentModule);
  }
  return app.currentModule ?? 1;
}

export async function writeParentNote(
  deps: { db: Db; temporal: Client },
  app: DiaryCase & { personId: string; courseId: string },
  body: string,
): Promise<void> {
  const now = new Date();
  const moduleNumber = await noteModule(deps.db, app);
  await deps.db.$transaction([
    deps.db.diaryNote.create({ data: { applicationId: app.id, moduleNumber, authorId: app.personId, body, createdAt: now } }),
    deps.db.application.update({ where: { id: app.id }, data: { lastActiveAt: now } }),
  ]);
  // Best effort: the note is stored either way; a missed signal only means an early reminder.
  await guidanceCommands.parentActive(deps.temporal, app.caseNumber);
}

export async function writeGuideAnswer(
  deps: NoticeDeps & { config: { publicUrl: string } },
  app: DiaryCase & { courseId: string; person: { email: string; phone: string | null } },
  guideId: string,
  body: string,
): Promise<void> {
  const moduleNumber = await noteModule(deps.db, app);
  const note = await deps.db.diaryNote.create({ data: { applicationId: app.id, moduleNumber, authorId: guideId, fromGuide: true, body } });
  const link = `${deps.config.publicUrl}/mina-arenden/${app.caseNumber}`;
  try {
    const { person } = await deps.db.application.findUniqueOrThrow({ where: { id: app.id }, select: { person: { select: { language: true } } } });
    await deliverNotice(deps, {
      email: app.person.email,
      phone: app.person.phone,
      ...(await caseUpdateNotice(deps.db, link, templateLangOf(person.language))),
      idempotencyKey: `diary-answer:${note.id}`,
    });
  } catch (err) {
    // The answer is stored and shown in the diary; a failed notice must not make the guide send it twice.
    console.error(`[webCourse] notice for diary note ${note.id} failed: ${(err as Error).name}`);
  }
}
