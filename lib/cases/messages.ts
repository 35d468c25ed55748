// Messages on a case between the parent and the case's staff. Each message is a case event
// (type "message"), so it sits in the case's diary beside decisions and notices; the other side
// gets a notice that a message is waiting, never its content (it may be sensitive).
import { z } from 'zod';
import type { Db } from '../db';
import { caseUpdateNotice, deliverNotice, type NoticeDeps } from '../notify';
import { renderTemplate, templateLangOf } from '../templates/messageTemplates';

export const CASE_MESSAGE_MAX = 4000;
export const MESSAGE_EVENT = 'message';
export type MessageSender = 'parent' | 'staff';

/** The message form; messages are translation keys. Counted in characters, not UTF-16 units. */
export const CaseMessageForm = z.object({
  body: z
    .string({ error: 'caseMessages.errors.empty' })
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .refine((s) => s.length > 0, { error: 'caseMessages.errors.empty' })
    .refine((s) => [...s].length <= CASE_MESSAGE_MAX, { error: 'caseMessages.errors.tooLong' }),
});

export interface ThreadEntry {
  id: string;
  body: string;
  from: MessageSender;
  at: Date;
  authorId: string;
  authorName: string | null;
  /** How the parent sees the writer: the guide of a web course, a group leader, or other staff. */
  authorRole: 'parent' | 'guide' | 'groupLeader' | 'staff';
}

/** The case's messages, oldest first. */
export async function loadMessageThread(db: Db, applicationId: string): Promise<ThreadEntry[]> {
  const [app, events] = await Promise.all([
    db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { guideId: true } }),
    db.caseEvent.findMany({ where: { applicationId, type: MESSAGE_EVENT }, orderBy: { createdAt: 'asc' } }),
  ]);
  const authorIds = [...new Set(events.map((e) => e.actor))];
  const authors = await db.person.findMany({
    where: { id: { in: authorIds } },
    select: { id: true, name: true, grants: { select: { role: true } } },
  });
  return events.map((e) => {
    const data = e.data as { body?: string; from?: MessageSender };
    const author = authors.find((p) => p.id === e.actor);
    const from = data.from === 'staff' ? 'staff' : 'parent';
    const roles = author?.grants.map((g) => g.role) ?? [];
    const authorRole =
      from === 'parent' ? 'parent' : e.actor === app.guideId || roles.includes('guide') ? 'guide' : roles.includes('groupLeader') ? 'groupLeader' : 'staff';
    return { id: e.id, body: data.body ?? '', from, at: e.createdAt, authorId: e.actor, authorName: author?.name ?? null, authorRole };
  });
}

export type MessageDeps = NoticeDeps & { config: { publicUrl: string } };

export interface PostMessageInput {
  applicationId: string;
  authorId: string;
  from: MessageSender;
  /** Already validated by CaseMessageForm. */
  body: string;
}

/** Stores the message, then tells the other side that one is waiting. */
export async function postCaseMessage(deps: MessageDeps, input: PostMessageInput): Promise<{ eventId: string }> {
  const event = await deps.db.caseEvent.create({
    data: { applicationId: input.applicationId, type: MESSAGE_EVENT, actor: input.authorId, data: { body: input.body, from: input.from } },
  });
  try {
    await notifyOtherSide(deps, input, event.id);
  } catch (err) {
    // The message is stored and shown; a failed notice must not lose it or fail the page.
    console.error(`[messages] notice for event ${event.id} failed: ${(err as Error).name}`);
  }
  return { eventId: event.id };
}

async function notifyOtherSide(deps: MessageDeps, input: PostMessageInput, eventId: string): Promise<void> {
  const app = await deps.db.application.findUniqueOrThrow({
    where: { id: input.applicationId },
    select: {
      caseNumber: true,
      kind: true,
      person: { select: { email: true, phone: true, language: true } },
      guide: { select: { id: true, email: true, phone: true, language: true } },
      course: { select: { contacts: { select: { person: { select: { id: true, email: true, phone: true, language: true } } } } } },
    },
  });
  if (input.from === 'staff') {
    const link = `${deps.config.publicUrl}/mina-arenden`;
    await deliverNotice(deps, {
      email: app.person.email,
      phone: app.person.phone,
      ...(await caseUpdateNotice(deps.db, link, templateLangOf(app.person.language))),
      idempotencyKey: `message:${eventId}`,
    });
    return;
  }
  // A web course's parent writes to their guide; a group's parent to the course's contact persons.
  const staff = app.kind === 'webCourse' && app.guide ? [app.guide] : app.course.contacts.map((k) => k.person);
  const link = `${deps.config.publicUrl}/personal/ansokningar/${app.caseNumber}#meddelanden`;
  for (const person of staff) {
    // A staff-facing notice the admin may edit (issue 16), in the staff member's language.
    await deliverNotice(deps, {
      email: person.email,
      phone: person.phone,
      ...(await renderTemplate(deps.db, 'staffCaseMessage', templateLangOf(person.language), { caseNumber: app.caseNumber, link })),
      idempotencyKey: `message:${eventId}:${person.id}`,
    });
  }
}
