// The instructor writes to the participants from the system (R7.5): each gets the message in their
// case (a case event "message", as on every case) and by e-mail. Course information for
// professionals, not sensitive case content: here the e-mail may carry the text.
import { z } from 'zod';
import { CaseMessageForm, MESSAGE_EVENT, type MessageDeps } from '../cases/messages';
import { deliverNotice } from '../notify';

export const MAIL_SUBJECT_MAX = 150;

export const ParticipantMailForm = z.object({
  /** "all" or a supervision group's id. */
  to: z.string({ error: 'instructor.errors.recipientsRequired' }).min(1, { error: 'instructor.errors.recipientsRequired' }),
  subject: z
    .string({ error: 'errors.required' })
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .refine((s) => s.length > 0, { error: 'errors.required' })
    .refine((s) => [...s].length <= MAIL_SUBJECT_MAX, { error: 'instructor.errors.subjectTooLong' }),
  body: CaseMessageForm.shape.body,
});
export type ParticipantMail = z.infer<typeof ParticipantMailForm>;

export async function mailParticipants(
  deps: MessageDeps,
  input: { courseId: string; groupId: string | null; subject: string; body: string; authorId: string; trainingTitle: string },
): Promise<number> {
  const participants = await deps.db.application.findMany({
    where: { courseId: input.courseId, kind: 'training', status: 'admitted', ...(input.groupId ? { groupId: input.groupId } : {}) },
    select: { id: true, person: { select: { email: true, phone: true } } },
  });
  const link = `${deps.config.publicUrl}/mina-arenden`;
  for (const p of participants) {
    const event = await deps.db.caseEvent.create({
      data: { applicationId: p.id, type: MESSAGE_EVENT, actor: input.authorId, data: { body: input.body, from: 'staff', subject: input.subject } },
    });
    try {
      await deliverNotice(deps, {
        email: p.person.email,
        phone: p.person.phone,
        subject: input.subject,
        body: [input.body, '', `${input.trainingTitle}. Meddelandet finns också på Mina ärenden: ${link}`].join('\n'),
        sms: `Nytt meddelande om ${input.trainingTitle}, se din e-post eller ${link}`,
        idempotencyKey: `instructor-mail:${event.id}`,
      });
    } catch (err) {
      // The message is stored in the case; a failed e-mail must not stop the others.
      console.error(`[trainings] mail for event ${event.id} failed: ${(err as Error).name}`);
    }
  }
  return participants.length;
}
