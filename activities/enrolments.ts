// A professional's enrolment (R6, R7.3, R8.6, R8.8): the manager's consent by a signed link, the
// instructor's admission, invoices and the certificate. Every step is idempotent by its key.
import type { DbTypes } from '../lib/db';
import { issueCertificate } from '../lib/certificates/issue';
import { lockSeats } from '../lib/courses/seats';
import { loadTrainingFacts } from '../lib/trainings/completion';
import { setApprovedForCertificate } from '../lib/trainings/participants';
import { canAdmit } from '../rules/capacity';
import { DECISION_STATUS, type DecidedStatus } from '../rules/caseStatus';
import { canIssueCertificate } from '../rules/training';
import { consentLinkPath, consentTokenFor } from '../lib/enrolments/consentLink';
import { deliverEmail, type NoticeDeps } from '../lib/notify';
import { tellCase } from '../lib/notices/caseNotices';
import { renderTemplate, templateLangOf } from '../lib/templates/messageTemplates';
import { formatDate } from '../lib/time';
import type {
  EnrolmentNotice,
  InstructorDecisionInput,
  InstructorDecisionResult,
  IssueCertificateResult,
  ManagerDecisionResult,
  MarkApprovedResult,
} from '../workflows/professionalEnrolment.messages';
import { decisionEvent, noticeEvent } from '../rules/caseEvents';

export type EnrolmentDeps = NoticeDeps & { config: { publicUrl: string; sessionSecret: string } };

interface EnrolmentAnswers {
  managerEmail?: string;
  managerName?: string;
  workplace?: string;
}

const answersOf = (json: DbTypes.Prisma.JsonValue): EnrolmentAnswers => (json ?? {}) as EnrolmentAnswers;

export function createEnrolmentActivities(deps: EnrolmentDeps) {
  const { db, config } = deps;

  /** Sends the manager the consent link (again, for the reminder: the same link). */
  async function mailManager(applicationId: string, idempotencyKey: string, reminder: boolean): Promise<void> {
    const request = await db.consentRequest.findUniqueOrThrow({
      where: { applicationId },
      include: { application: { include: { person: true, course: { include: { sessions: { orderBy: { startsAt: 'asc' } } } } } } },
    });
    if (request.usedAt) return;
    const app = request.application;
    const { token } = consentTokenFor(config.sessionSecret, request.id);
    const url = `${config.publicUrl}${consentLinkPath(config.sessionSecret, { requestId: request.id, token, expiresAt: request.expiresAt })}`;
    const first = app.course.sessions[0];
    // Notices go out in Swedish, the city's language; the admin may edit both languages' texts.
    const lang = 'sv';
    const text = await renderTemplate(db, reminder ? 'consentReminder' : 'consentRequest', lang, {
      applicant: app.person.name ?? app.person.email,
      workplace: answersOf(app.answers).workplace ?? '–',
      training: app.course.title,
      startDate: first ? formatDate(first.startsAt, lang) : '–',
      deadline: formatDate(request.expiresAt, lang),
      link: url,
    });
    await deliverEmail(db, deps.mailer, {
      to: request.managerEmail,
      subject: text.subject,
      body: text.body,
      idempotencyKey,
    });
  }

  return {
    async requestConsent(input: { applicationId: string; deadlineMs: number; idempotencyKey: string }): Promise<void> {
      const app = await db.application.findUniqueOrThrow({ where: { id: input.applicationId } });
      const managerEmail = answersOf(app.answers).managerEmail;
      if (!managerEmail) throw new Error('The enrolment has no manager e-mail');
      const existing = await db.consentRequest.findUnique({ where: { applicationId: app.id } });
      if (!existing) {
        const created = await db.consentRequest.create({
          data: { applicationId: app.id, managerEmail, tokenHash: `pending:${app.id}`, expiresAt: new Date(Date.now() + input.deadlineMs) },
        });
        await db.consentRequest.update({ where: { id: created.id }, data: { tokenHash: consentTokenFor(config.sessionSecret, created.id).tokenHash } });
      }
      await mailManager(app.id, input.idempotencyKey, false);
    },

    async remindManager(input: { applicationId: string; idempotencyKey: string }): Promise<void> {
      await db.consentRequest.updateMany({ where: { applicationId: input.applicationId, usedAt: null }, data: { remindedAt: new Date() } });
      await mailManager(input.applicationId, input.idempotencyKey, true);
    },

    /** The manager's answer: the link is used once, and only before it expires. */
    async recordManagerDecision(input: { applicationId: string; consentRequestId: string; decision: 'approved' | 'declined' }): Promise<ManagerDecisionResult> {
      return db.$transaction(async (tx) => {
        const now = new Date();
        const taken = await tx.consentRequest.updateMany({
          where: { id: input.consentRequestId, applicationId: input.applicationId, usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now, decision: input.decision },
        });
        if (taken.count === 0) {
          const request = await tx.consentRequest.findUnique({ where: { id: input.consentRequestId } });
          return { ok: false, code: request?.usedAt ? 'used' : 'expired' };
        }
        const status = input.decision === 'approved' ? 'consented' : 'consentDeclined';
        await tx.application.update({
          where: { id: input.applicationId },
          data: { status, ...(status === 'consentDeclined' ? { closedAt: now } : {}) },
        });
        await tx.caseEvent.create({ data: { applicationId: input.applicationId, type: `consent.${input.decision}`, actor: 'manager' } });
        return { ok: true, status };
      });
    },

    /** A withdrawn enrolment's consent link stops working. */
    async closeConsentRequest({ applicationId }: { applicationId: string }): Promise<void> {
      await db.consentRequest.updateMany({ where: { applicationId, usedAt: null }, data: { usedAt: new Date(), decision: 'withdrawn' } });
    },

    /** No answer by the deadline: the enrolment closes as "no consent". */
    async expireConsent(input: { applicationId: string; dedupeKey: string }): Promise<{ expired: boolean }> {
      return db.$transaction(async (tx) => {
        const open = await tx.consentRequest.updateMany({
          where: { applicationId: input.applicationId, usedAt: null },
          data: { usedAt: new Date(), decision: 'expired' },
        });
        if (open.count === 0) return { expired: false };
        await tx.application.update({ where: { id: input.applicationId }, data: { status: 'noConsent', closedAt: new Date() } });
        await tx.caseEvent.upsert({
          where: { dedupeKey: input.dedupeKey },
          create: { applicationId: input.applicationId, type: 'consent.expired', actor: 'system', dedupeKey: input.dedupeKey },
          update: {},
        });
        return { expired: true };
      });
    },

    /** The instructor composes the groups (R7.3): admitted within capacity, or queued with a reason. */
    async applyInstructorDecision(
      input: Omit<InstructorDecisionInput, 'actorId'> & { applicationId: string; actorId: string; dedupeKey: string },
    ): Promise<InstructorDecisionResult> {
      return db.$transaction(async (tx) => {
        const app = await tx.application.findUniqueOrThrow({ where: { id: input.applicationId } });
        // The reason is free text: the console stores it on the case first, so it never enters
        // the workflow's history.
        const reason = (app.queueReason ?? '').trim();
        if (input.decision === 'queue' && !reason) return { ok: false, code: 'reason-required' };
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) {
          return { ok: true, status: app.status as DecidedStatus, queuePosition: null };
        }
        const seats = await lockSeats(tx, app.courseId);
        if (input.decision === 'admit') {
          if (!canAdmit(seats).ok) return { ok: false, code: 'course-full' };
          if (input.groupId) await tx.supervisionGroup.findFirstOrThrow({ where: { id: input.groupId, courseId: app.courseId } });
        }
        const status = DECISION_STATUS[input.decision];
        await tx.application.update({
          where: { id: app.id },
          data: {
            status,
            decidedAt: new Date(),
            groupId: input.decision === 'admit' ? (input.groupId ?? null) : null,
            queueReason: input.decision === 'queue' ? reason : null,
          },
        });
        await tx.caseEvent.create({
          data: { applicationId: app.id, type: decisionEvent(status), actor: input.actorId, dedupeKey: input.dedupeKey },
        });
        const queuePosition =
          status === DECISION_STATUS.queue
            ? (await tx.application.count({ where: { courseId: app.courseId, status: DECISION_STATUS.queue, submittedAt: { lt: app.submittedAt } } })) + 1
            : null;
        return { ok: true, status, queuePosition };
      });
    },

    /** A notice on the case (shown in full in "Mina ärenden"), and the discreet e-mail/SMS. */
    async sendEnrolmentNotice(input: { applicationId: string; notice: EnrolmentNotice; idempotencyKey: string; invoiceId?: string }): Promise<void> {
      const app = await db.application.findUniqueOrThrow({
        where: { id: input.applicationId },
        include: {
          person: true,
          group: true,
          certificate: true,
          course: { include: { sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } } },
        },
      });
      const data: DbTypes.Prisma.InputJsonObject = {
        courseTitle: app.course.title,
        ...(input.notice === 'admitted'
          ? {
              outline: app.course.description,
              group: app.group?.name ?? null,
              sessions: app.course.sessions.map((s) => ({
                startsAt: s.startsAt.toISOString(),
                endsAt: s.endsAt.toISOString(),
                place: s.room ? `${s.room.name}, ${s.room.address}` : null,
              })),
            }
          : {}),
        ...(input.notice === 'queued' ? { reason: app.queueReason } : {}),
        ...(input.notice === 'certificateIssued' ? { certificateNumber: app.certificate?.number ?? null } : {}),
        ...(input.invoiceId ? { invoiceId: input.invoiceId } : {}),
      };
      await db.caseEvent.upsert({
        where: { dedupeKey: input.idempotencyKey },
        create: { applicationId: app.id, type: noticeEvent(input.notice), actor: 'system', data, dedupeKey: input.idempotencyKey },
        update: {},
      });
      // The participant is told what kind of thing happened, bundled per case, in their language.
      await tellCase(deps, { applicationId: app.id, key: input.idempotencyKey, kind: input.notice });
      // Without consent the administrators are told too (R6.2), each in their language (R8.3: editable).
      if (input.notice === 'noConsent' || input.notice === 'consentDeclined') {
        const admins = await db.person.findMany({ where: { grants: { some: { role: 'admin' } } } });
        for (const admin of admins) {
          const text = await renderTemplate(db, input.notice === 'noConsent' ? 'staffNoConsent' : 'staffConsentDeclined', templateLangOf(admin.language), {
            caseNumber: app.caseNumber,
            training: app.course.title,
            link: `${config.publicUrl}/personal/ansokningar/${app.caseNumber}`,
          });
          await deliverEmail(db, deps.mailer, {
            to: admin.email,
            subject: text.subject,
            body: text.body,
            idempotencyKey: `${input.idempotencyKey}:admin:${admin.id}`,
          });
        }
      }
    },

    async invoicePaid({ invoiceId }: { invoiceId: string }): Promise<boolean> {
      const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
      return !!invoice.paidAt;
    },

    async markInvoiceReminded({ invoiceId }: { invoiceId: string }): Promise<void> {
      await db.invoice.update({ where: { id: invoiceId }, data: { remindedAt: new Date() } });
    },

    /**
     * Issued once even if retried (the certificate is unique per enrolment), and only for a completed
     * training with "Godkänd" set after its last session (rules/training.ts, R8.8).
     */
    async issueEnrolmentCertificate(input: { applicationId: string; actorId: string; dedupeKey: string }): Promise<IssueCertificateResult> {
      const app = await db.application.findUniqueOrThrow({ where: { id: input.applicationId }, include: { certificate: { select: { number: true } } } });
      if (app.certificate) return { ok: true, number: app.certificate.number };
      if (app.status !== 'admitted' && app.status !== 'completed') return { ok: false, code: 'not-admitted' };
      const verdict = canIssueCertificate(await loadTrainingFacts(db, app.id), new Date());
      if (!verdict.ok) return verdict;
      const { number } = await issueCertificate(db, app.id);
      await db.$transaction([
        db.application.update({ where: { id: app.id }, data: { status: 'completed', closedAt: app.closedAt ?? new Date() } }),
        db.caseEvent.upsert({
          where: { dedupeKey: input.dedupeKey },
          create: { applicationId: app.id, type: 'certificate.issued', actor: input.actorId, data: { number }, dedupeKey: input.dedupeKey },
          update: {},
        }),
      ]);
      return { ok: true, number };
    },

    /** "Godkänd" set or withdrawn by the instructor, once the training is completed (R7.7). */
    async setApproval(input: { applicationId: string; approved: boolean; actorId: string; dedupeKey: string }): Promise<MarkApprovedResult> {
      return setApprovedForCertificate(db, input);
    },

    /** Staff moved the manager's consent deadline; the link is sent again with the new expiry. */
    async changeConsentDeadline(input: { applicationId: string; deadline: string; actorId: string; dedupeKey: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return;
        await tx.consentRequest.updateMany({ where: { applicationId: input.applicationId, usedAt: null }, data: { expiresAt: new Date(input.deadline) } });
        await tx.caseEvent.create({
          data: { applicationId: input.applicationId, type: 'deadline.changed', actor: input.actorId, data: { kind: 'managerConsent', deadline: input.deadline }, dedupeKey: input.dedupeKey },
        });
      });
    },

    /** Staff moved an invoice's due date (R8.6): a new overdue reminder follows the new date. */
    async changeInvoiceDueDate(input: { applicationId: string; invoiceId: string; dueDate: string; actorId: string; dedupeKey: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return;
        await tx.invoice.updateMany({
          where: { id: input.invoiceId, applicationId: input.applicationId, paidAt: null },
          data: { dueDate: new Date(`${input.dueDate}T00:00:00Z`), remindedAt: null },
        });
        await tx.caseEvent.create({
          data: { applicationId: input.applicationId, type: 'deadline.changed', actor: input.actorId, data: { kind: 'invoiceDue', deadline: input.dueDate, invoiceId: input.invoiceId }, dedupeKey: input.dedupeKey },
        });
      });
    },
  };
}

