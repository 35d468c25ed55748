// The group leader's decision on an application (R3.4): capacity is checked in the same
// transaction that stores the decision, with the course row locked against parallel admits.
import type { Db } from '../lib/db';
import { queuePosition } from '../lib/cases/queue';
import { lockSeats } from '../lib/courses/seats';
import { canAdmit } from '../rules/capacity';
import { canMoveCaseToQueue } from '../rules/anyCase';
import { DECISION_STATUS } from '../rules/caseStatus';
import type { Decision, DecideResult } from '../workflows/parentApplication.messages';
import { decisionEvent } from '../rules/caseEvents';

export interface ApplyDecisionInput {
  caseNumber: string;
  applicationId: string;
  decision: Decision;
  actorId: string;
  dedupeKey: string;
}

export interface MoveCaseToQueueInput {
  applicationId: string;
  actorId: string;
  dedupeKey: string;
}


export function createDecisionActivities({ db }: { db: Db }) {
  return {
    async applyDecision(input: ApplyDecisionInput): Promise<DecideResult> {
      const outcome = await db.$transaction(async (tx) => {
        const already = await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
        const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId } });
        if (already) return { ok: true as const, status: app.status };
        const seats = await lockSeats(tx, app.courseId);
        if (input.decision === 'admit' && !canAdmit(seats).ok) return { ok: false as const, code: 'course-full' as const };
        const status = DECISION_STATUS[input.decision];
        await tx.application.update({ where: { id: app.id }, data: { status, decidedAt: new Date() } });
        await tx.caseEvent.create({
          data: {
            applicationId: app.id,
            type: decisionEvent(status),
            actor: input.actorId,
            dedupeKey: input.dedupeKey,
          },
        });
        return { ok: true as const, status };
      });
      if (!outcome.ok) return outcome;
      return { ok: true, status: outcome.status as 'admitted' | 'queued', queuePosition: await queuePosition(db, input.applicationId) };
    },

    /**
     * A supervisor's "move to queue" (R9.4): the case joins its course's queue again (by its
     * original submission time), a pending offer lapses and a held seat is freed for the next one.
     */
    async moveCaseToQueue(
      input: MoveCaseToQueueInput,
    ): Promise<{ moved: boolean; freedCourseId: string | null; queuePosition: number | null }> {
      const moved = await db.$transaction(async (tx) => {
        const done = await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
        const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId } });
        if (done) return { moved: true, freedCourseId: (done.data as { freedCourseId?: string | null }).freedCourseId ?? null };
        const certificate = await tx.certificate.findUnique({ where: { applicationId: app.id }, select: { id: true } });
        if (!canMoveCaseToQueue(app, !!certificate).ok) return { moved: false, freedCourseId: null };
        let freedCourseId: string | null = app.status === 'admitted' ? app.courseId : null;
        const pending = await tx.seatOffer.findFirst({ where: { applicationId: app.id, status: 'pending' } });
        if (pending) {
          await tx.seatOffer.update({ where: { id: pending.id }, data: { status: 'expired', answeredAt: new Date() } });
          freedCourseId = pending.courseId;
        }
        await tx.application.update({ where: { id: app.id }, data: { status: 'queued', groupId: null } });
        if (app.status === 'admitted') {
          // The seat it held goes to the next in the queue, not back to this case.
          await tx.seatOffer.upsert({
            where: { applicationId_courseId: { applicationId: app.id, courseId: app.courseId } },
            create: { applicationId: app.id, courseId: app.courseId, status: 'declined', expiresAt: new Date(), answeredAt: new Date(), batchKey: input.dedupeKey },
            update: { status: 'declined', answeredAt: new Date() },
          });
        }
        await tx.caseEvent.create({
          data: { applicationId: app.id, type: 'case.movedToQueue', actor: input.actorId, dedupeKey: input.dedupeKey, data: { freedCourseId } },
        });
        return { moved: true, freedCourseId };
      });
      return { ...moved, queuePosition: moved.moved ? await queuePosition(db, input.applicationId) : null };
    },
  };
}
