// The training's applicants and participants as the instructor sees them (R7.3): who waits for
// admission (the manager has consented), the supervision groups and who is admitted to each.
import { z } from 'zod';
import type { Db } from '../db';
import { canApprove, type CompletionRefusal } from '../../rules/training';
import { loadTrainingFacts } from './completion';
import { PARTICIPANT_STATUSES } from '../../rules/caseStatus';


export const GROUP_NAME_MAX = 80;

const personSelect = { select: { name: true, email: true } } as const;

/** The workplace etc. come from the enrolment form's answers; only what the instructor needs. */
export function workplaceOf(answers: unknown): string | null {
  const a = (answers ?? {}) as Record<string, unknown>;
  const value = a.workplace ?? a.employer ?? a.organisation;
  return typeof value === 'string' && value.trim() ? value : null;
}

export async function loadTrainingOverview(db: Db, courseId: string) {
  const [waiting, queued, groups, admittedWithoutGroup, sessions] = await Promise.all([
    db.application.findMany({
      where: { courseId, kind: 'training', status: 'consented' },
      include: { person: personSelect },
      orderBy: { submittedAt: 'asc' },
    }),
    db.application.findMany({
      where: { courseId, kind: 'training', status: 'queued' },
      include: { person: personSelect },
      orderBy: { submittedAt: 'asc' },
    }),
    db.supervisionGroup.findMany({
      where: { courseId },
      include: {
        applications: {
          where: { status: { in: [...PARTICIPANT_STATUSES] } },
          include: { person: personSelect },
          orderBy: { person: { name: 'asc' } },
        },
      },
      orderBy: { name: 'asc' },
    }),
    db.application.findMany({
      where: { courseId, kind: 'training', status: { in: [...PARTICIPANT_STATUSES] }, groupId: null },
      include: { person: personSelect },
    }),
    db.courseSession.findMany({ where: { courseId }, orderBy: { startsAt: 'asc' } }),
  ]);
  return { waiting, queued, groups, admittedWithoutGroup, sessions };
}

/** An application of this training by case number, or null. */
export function trainingApplication(db: Db, courseId: string, caseNumber: string) {
  return db.application.findFirst({ where: { caseNumber, courseId, kind: 'training' }, include: { person: personSelect, group: true } });
}

export const GroupForm = z.object({
  name: z
    .string({ error: 'errors.required' })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { error: 'errors.required' })
    .refine((s) => [...s].length <= GROUP_NAME_MAX, { error: 'instructor.errors.groupNameTooLong' }),
});

/** Creates the group; a name the training already has is refused (unique per training). */
export async function createSupervisionGroup(db: Db, courseId: string, name: string): Promise<{ ok: true } | { ok: false; field: 'name'; error: string }> {
  try {
    await db.supervisionGroup.create({ data: { courseId, name } });
    return { ok: true };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return { ok: false, field: 'name', error: 'instructor.errors.groupNameTaken' };
    throw err;
  }
}

export const APPROVED_EVENT = 'training.approved';

/** R7.7: the instructor approves (or withdraws the approval of) an admitted participant for the certificate. */
/**
 * Sets or withdraws "Godkänd" (R7.7), only once the training is completed for the participant
 * (rules/training.ts). Called by the enrolment workflow's activity, so it is idempotent by its key.
 */
export async function setApprovedForCertificate(
  db: Db,
  input: { applicationId: string; approved: boolean; actorId: string; dedupeKey: string },
): Promise<{ ok: true; approved: boolean } | { ok: false; code: CompletionRefusal | 'not-admitted' }> {
  return db.$transaction(async (tx) => {
    const done = await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
    if (done) return { ok: true as const, approved: input.approved };
    const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId }, select: { status: true } });
    if (app.status !== 'admitted' && app.status !== 'completed') return { ok: false as const, code: 'not-admitted' as const };
    if (input.approved) {
      const verdict = canApprove(await loadTrainingFacts(tx, input.applicationId), new Date());
      if (!verdict.ok) return verdict;
    }
    await tx.application.update({ where: { id: input.applicationId }, data: { approvedAt: input.approved ? new Date() : null } });
    await tx.caseEvent.create({
      data: { applicationId: input.applicationId, type: APPROVED_EVENT, actor: input.actorId, data: { approved: input.approved }, dedupeKey: input.dedupeKey },
    });
    return { ok: true as const, approved: input.approved };
  });
}
