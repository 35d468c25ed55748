// The instructor admits a consented applicant to a supervision group, or queues them with a reason
// (R7.3). The decision is an update on the enrolment workflow, whose activity stores the group or
// the reason and sends the notice; the form is checked here first so bad input reaches nobody.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../db';
import { instructorDecisionUpdate, type InstructorDecisionResult } from '../../workflows/professionalEnrolment.messages';

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

/** `unavailable`: the workflow could not be reached or failed the update; nothing changed. */
export type DecisionOutcome = InstructorDecisionResult | { ok: false; code: 'unavailable' };

/** Is the group one of this training's? (A group id from another training is bad input.) */
export async function groupOfTraining(db: Db, courseId: string, groupId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(groupId)) return false;
  return (await db.supervisionGroup.count({ where: { id: groupId, courseId } })) === 1;
}

export async function sendInstructorDecision(temporal: Client, workflowId: string, decision: Decision, actorId: string): Promise<DecisionOutcome> {
  const input =
    decision.decision === 'admit' ? { decision: 'admit' as const, groupId: decision.groupId, actorId } : { decision: 'queue' as const, reason: decision.reason, actorId };
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(instructorDecisionUpdate, { args: [input] });
  } catch (err) {
    console.warn(`[trainings] decision on ${workflowId} failed: ${(err as Error).name}`);
    return { ok: false, code: 'unavailable' };
  }
}
