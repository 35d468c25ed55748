// The instructor admits a consented applicant to a supervision group, or queues them with a reason
// (R7.3). The reason is stored here; the decision is an update on the enrolment workflow, whose
// activity stores the group and sends the notice; the form is checked here first so bad input reaches nobody.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../db';
import * as enrolmentCommands from '../commands/professionalEnrolment';

export const QUEUE_REASON_MAX = 500;

export const DecisionForm = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('admit'), groupId: z.string({ error: 'instructor.errors.groupRequired' }).min(1, { error: 'instructor.errors.groupRequired' }) }),
    z.object({
      decision: z.literal('queue'),
      reason: z
        .string({ error: 'instructor.errors.reasonRequired' })
        .transform((s) => s.replace(/\r\n?/g, '\n').trim())
        .refine((s) => s.length > 0, { error: 'instructor.errors.reasonRequired' })
        .refine((s) => [...s].length <= QUEUE_REASON_MAX, { error: 'instructor.errors.reasonTooLong' }),
    }),
  ],
  { error: 'instructor.errors.decisionRequired' },
);
export type Decision = z.infer<typeof DecisionForm>;

export type DecisionOutcome = Awaited<ReturnType<typeof enrolmentCommands.instructorDecision>>;

/** Is the group one of this training's? (A group id from another training is bad input.) */
export async function groupOfTraining(db: Db, courseId: string, groupId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(groupId)) return false;
  return (await db.supervisionGroup.count({ where: { id: groupId, courseId } })) === 1;
}

export async function sendInstructorDecision(
  { db, temporal }: { db: Db; temporal: Client },
  application: { id: string; workflowId: string },
  decision: Decision,
  actorId: string,
): Promise<DecisionOutcome> {
  const workflowId = application.workflowId;
  // The reason is free text: it goes to the database, never into the workflow's history.
  if (decision.decision === 'queue') await db.application.update({ where: { id: application.id }, data: { queueReason: decision.reason } });
  const input =
    decision.decision === 'admit' ? { decision: 'admit' as const, groupId: decision.groupId, actorId } : { decision: 'queue' as const, actorId };
  return enrolmentCommands.instructorDecision(temporal, workflowId, input);
}
