// Seats: withdrawal, and the queue that moves by itself (R2.5, R2.9). A freed seat is offered to
// the first in the queue of the course's district and kind, who has until a deadline to accept.
// Every step locks the course row, so parallel steps never hand out more seats than there are.
import type { Db } from '../lib/db';
import { lockSeats } from '../lib/courses/seats';
import { canAcceptOffer, freeSeats } from '../rules/capacity';
import { canWithdrawCase } from '../rules/anyCase';
import { ACTIVE_STATUSES } from '../lib/cases/caseStatus';
import type { AnswerOfferResult, CaseStatus, SeatOfferState } from '../workflows/parentApplication.messages';

export interface OfferFreeSeatsInput {
  courseId: string;
  offerTtlMs: number;
  /** workflow id + step: a retried step returns the offers it already made. */
  batchKey: string;
}

export interface OfferMade extends SeatOfferState {
  workflowId: string;
}

export interface WithdrawCaseInput {
  applicationId: string;
  actorId: string;
  byStaff: boolean;
  dedupeKey: string;
}

export interface AnswerSeatOfferInput {
  applicationId: string;
  offerId: string;
  accept: boolean;
  actorId: string;
  dedupeKey: string;
}

export interface ChangeOfferDeadlineInput {
  applicationId: string;
  offerId: string;
  /** The new deadline (ISO); the workflow's validator checked it lies ahead. */
  expiresAt: string;
  actorId: string;
  dedupeKey: string;
}

export function createSeatActivities({ db }: { db: Db }) {
  return {
    /** Offers every free seat of the course to the queue, first come first served. */
    async offerFreeSeats(input: OfferFreeSeatsInput): Promise<OfferMade[]> {
      const rows = await db.$transaction(async (tx) => {
        const earlier = await tx.seatOffer.findMany({ where: { batchKey: input.batchKey }, include: { application: true } });
        if (earlier.length) return earlier;
        const seats = freeSeats(await lockSeats(tx, input.courseId));
        if (seats === 0) return [];
        const course = await tx.course.findUniqueOrThrow({ where: { id: input.courseId } });
        // The queue is per district and kind; a parent is offered a given course only once.
        const next = await tx.application.findMany({
          where: {
            status: 'queued',
            kind: course.kind,
            course: { districtId: course.districtId },
            seatOffers: { none: { courseId: course.id } },
            // Accepting moves the case to this course: not for a parent who already has an active
            // case there (one active application per person and course, issue 14).
            OR: [
              { courseId: course.id },
              { person: { applications: { none: { courseId: course.id, status: { in: [...ACTIVE_STATUSES] } } } } },
            ],
          },
          orderBy: { submittedAt: 'asc' },
          take: seats,
        });
        const expiresAt = new Date(Date.now() + input.offerTtlMs);
        const made = [];
        for (const app of next) {
          await tx.application.update({ where: { id: app.id }, data: { status: 'offered' } });
          made.push(
            await tx.seatOffer.create({
              data: { applicationId: app.id, courseId: course.id, expiresAt, batchKey: input.batchKey },
              include: { application: true },
            }),
          );
        }
        return made;
      });
      return rows.map((o) => ({
        workflowId: o.application.workflowId,
        offerId: o.id,
        courseId: o.courseId,
        expiresAt: o.expiresAt.toISOString(),
      }));
    },

    /** The parent accepts or declines; a late answer finds the offer expired. */
    async answerSeatOffer(input: AnswerSeatOfferInput): Promise<AnswerOfferResult> {
      return db.$transaction(async (tx) => {
        const offer = await tx.seatOffer.findUniqueOrThrow({ where: { id: input.offerId } });
        const seats = await lockSeats(tx, offer.courseId);
        const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId } });
        if (offer.status === 'accepted') return { ok: true, status: app.status as CaseStatus };
        if (offer.status === 'declined') return { ok: true, status: app.status as CaseStatus };
        if (offer.status === 'expired' || offer.expiresAt.getTime() < Date.now()) {
          await tx.seatOffer.update({ where: { id: offer.id }, data: { status: 'expired' } });
          await tx.application.update({ where: { id: app.id }, data: { status: 'queued' } });
          return { ok: false, code: 'offer-expired' };
        }
        const answeredAt = new Date();
        if (!input.accept) {
          await tx.seatOffer.update({ where: { id: offer.id }, data: { status: 'declined', answeredAt } });
          await tx.application.update({ where: { id: app.id }, data: { status: 'queued' } });
          await tx.caseEvent.create({
            data: { applicationId: app.id, type: 'offer.declined', actor: input.actorId, dedupeKey: input.dedupeKey },
          });
          return { ok: true, status: 'queued' };
        }
        // The one capacity rule, checked again: the held seat becomes an admitted one.
        if (!canAcceptOffer(seats).ok) {
          await tx.seatOffer.update({ where: { id: offer.id }, data: { status: 'expired', answeredAt } });
          await tx.application.update({ where: { id: app.id }, data: { status: 'queued' } });
          return { ok: false, code: 'course-full' };
        }
        await tx.seatOffer.update({ where: { id: offer.id }, data: { status: 'accepted', answeredAt } });
        await tx.application.update({
          where: { id: app.id },
          data: { status: 'admitted', courseId: offer.courseId, decidedAt: answeredAt },
        });
        await tx.caseEvent.create({
          data: {
            applicationId: app.id,
            type: 'offer.accepted',
            actor: input.actorId,
            data: { courseId: offer.courseId },
            dedupeKey: input.dedupeKey,
          },
        });
        return { ok: true, status: 'admitted' };
      });
    },

    /** The deadline passed: the offer lapses and the parent keeps their place in the queue. */
    async expireSeatOffer(input: { offerId: string; dedupeKey: string }): Promise<{ expired: boolean }> {
      return db.$transaction(async (tx) => {
        const offer = await tx.seatOffer.findUniqueOrThrow({ where: { id: input.offerId } });
        if (offer.status !== 'pending') return { expired: offer.status === 'expired' };
        await tx.seatOffer.update({ where: { id: offer.id }, data: { status: 'expired' } });
        await tx.application.updateMany({ where: { id: offer.applicationId, status: 'offered' }, data: { status: 'queued' } });
        await tx.caseEvent.upsert({
          where: { dedupeKey: input.dedupeKey },
          create: { applicationId: offer.applicationId, type: 'offer.expired', actor: 'system', dedupeKey: input.dedupeKey },
          update: {},
        });
        return { expired: true };
      });
    },

    /**
     * The parent withdraws or a leader removes them. Returns the course whose seat (or offered
     * seat) was freed, so the workflow can pass it on.
     */
    async withdrawCase(input: WithdrawCaseInput): Promise<{ withdrawn: boolean; freedCourseId: string | null }> {
      return db.$transaction(async (tx) => {
        const done = await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
        const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId } });
        if (done) return { withdrawn: true, freedCourseId: app.status === 'withdrawn' ? app.courseId : null };
        const certificate = await tx.certificate.findUnique({ where: { applicationId: app.id }, select: { id: true } });
        if (!canWithdrawCase(app, !!certificate).ok) return { withdrawn: false, freedCourseId: null };
        let freedCourseId: string | null = app.status === 'admitted' ? app.courseId : null;
        const pending = await tx.seatOffer.findFirst({ where: { applicationId: app.id, status: 'pending' } });
        if (pending) {
          await tx.seatOffer.update({ where: { id: pending.id }, data: { status: 'declined', answeredAt: new Date() } });
          freedCourseId = pending.courseId;
        }
        await tx.application.update({ where: { id: app.id }, data: { status: 'withdrawn', closedAt: new Date() } });
        await tx.caseEvent.create({
          data: {
            applicationId: app.id,
            type: input.byStaff ? 'case.removed' : 'case.withdrawn',
            actor: input.actorId,
            dedupeKey: input.dedupeKey,
          },
        });
        return { withdrawn: true, freedCourseId };
      });
    },

    /** Staff moved the offer's answer deadline (feature table row 64); the workflow's timer follows. */
    async changeOfferDeadline(input: ChangeOfferDeadlineInput): Promise<void> {
      await db.$transaction(async (tx) => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return;
        await tx.seatOffer.updateMany({ where: { id: input.offerId, applicationId: input.applicationId, status: 'pending' }, data: { expiresAt: new Date(input.expiresAt) } });
        await tx.caseEvent.create({
          data: {
            applicationId: input.applicationId,
            type: 'deadline.changed',
            actor: input.actorId,
            data: { kind: 'offerAnswer', deadline: input.expiresAt },
            dedupeKey: input.dedupeKey,
          },
        });
      });
    },
  };
}
