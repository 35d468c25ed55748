// The machine-readable record of one case for the archive package (R9.3): everything the database
// holds about it, as one JSON document. The zod schema is the contract; the package carries the
// JSON Schema generated from it (schemas/arende.schema.json), so the archive can validate the
// record without Komet.
import { APPLICATION_STATUSES as ALL_STATUSES } from '../../rules/caseStatus';
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';

export const ARCHIVE_SCHEMA_VERSION = '1.0';

const dateTime = z.iso.datetime().describe('UTC, ISO 8601');
const maybeDateTime = dateTime.nullable();
/** The one list of case statuses (rules/caseStatus.ts), tied to the database enum. */
const APPLICATION_STATUSES = ALL_STATUSES;
const KINDS = ['groupCourse', 'webCourse', 'training'] as const satisfies readonly DbTypes.CourseKind[];
const SURVEY_KINDS = ['sessionEvaluation', 'progress', 'preMeasurement', 'postMeasurement', 'childBehaviour', 'courseEvaluation'] as const satisfies readonly DbTypes.SurveyKind[];

export const ArchiveCaseSchema = z
  .object({
    schemaVersion: z.literal(ARCHIVE_SCHEMA_VERSION),
    caseNumber: z.string().regex(/^KOM-\d{4}-\d{6}$/).describe('Diarienummer'),
    kind: z.enum(KINDS),
    status: z.enum(APPLICATION_STATUSES),
    submittedAt: dateTime,
    decidedAt: maybeDateTime,
    closedAt: maybeDateTime,
    /** Training: when the instructor approved the participant. */
    approvedAt: maybeDateTime,
    course: z.object({
      id: z.uuid(),
      title: z.string(),
      kind: z.enum(KINDS),
      language: z.string(),
      district: z.object({ slug: z.string(), name: z.string() }).nullable(),
      sessions: z.array(z.object({ startsAt: dateTime, endsAt: dateTime, place: z.string().nullable() })),
    }),
    applicant: z.object({
      name: z.string().nullable(),
      personnummer: z.string().nullable(),
      email: z.string(),
      phone: z.string().nullable(),
    }),
    /** The submitted form beyond the person's own fields (child's age, message, workplace, manager …). */
    answers: z.record(z.string(), z.unknown()),
    queueReason: z.string().nullable(),
    supervisionGroup: z.string().nullable(),
    guide: z.object({ name: z.string().nullable() }).nullable(),
    /** The case's diary: every event with its type, who acted and when; data as recorded. */
    events: z.array(
      z.object({
        type: z.string(),
        at: dateTime,
        actor: z.enum(['system', 'applicant', 'staff', 'manager', 'unknown']),
        actorName: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
    /** E-mails and SMS sent about the case (the texts are short notices with a link). */
    notifications: z.array(
      z.object({
        channel: z.enum(['email', 'sms']),
        recipient: z.string(),
        subject: z.string(),
        body: z.string(),
        status: z.enum(['pending', 'sent', 'logged', 'failed']),
        createdAt: dateTime,
        sentAt: maybeDateTime,
      }),
    ),
    diaryNotes: z.array(z.object({ moduleNumber: z.number().int(), fromGuide: z.boolean(), body: z.string(), at: dateTime })),
    seatOffers: z.array(
      z.object({ courseTitle: z.string(), status: z.enum(['pending', 'accepted', 'declined', 'expired']), createdAt: dateTime, expiresAt: dateTime, answeredAt: maybeDateTime }),
    ),
    attendance: z.array(z.object({ sessionStartsAt: dateTime, present: z.boolean(), markedAt: dateTime })),
    surveyInvitations: z.array(
      z.object({
        surveyKind: z.enum(SURVEY_KINDS),
        sessionStartsAt: maybeDateTime,
        moduleNumber: z.number().int().nullable(),
        answered: z.boolean(),
        createdAt: dateTime,
        remindedAt: maybeDateTime,
      }),
    ),
    consent: z
      .object({
        managerEmail: z.string(),
        decision: z.enum(['approved', 'declined']).nullable(),
        comment: z.string().nullable(),
        createdAt: dateTime,
        expiresAt: dateTime,
        usedAt: maybeDateTime,
        remindedAt: maybeDateTime,
      })
      .nullable(),
    invoices: z.array(
      z.object({ number: z.string(), amountOre: z.number().int(), dueDate: z.iso.date(), issuedAt: dateTime, paidAt: maybeDateTime, remindedAt: maybeDateTime }),
    ),
    certificate: z.object({ number: z.string(), holderName: z.string(), trainingTitle: z.string(), issuedAt: dateTime }).nullable(),
  })
  .describe('Komet: ett ärende med dess uppgifter och händelser (arkivpaketets arende.json)');

export type ArchiveCase = z.infer<typeof ArchiveCaseSchema>;

/** The JSON Schema file of the package, generated from the zod schema (draft 2020-12). */
export function archiveCaseJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ArchiveCaseSchema),
    $id: `urn:komet:arkiv:arende:${ARCHIVE_SCHEMA_VERSION}`,
    title: 'Komet ärende',
  };
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Which notifications belong to a case: notices are keyed by the case's workflows
 * (`<workflowId>:…`, the web course's guidance too), messages and diary answers by their event
 * or note id (see lib/notify.ts callers).
 */
export function caseNotificationWhere(
  app: { workflowId: string; caseNumber: string },
  messageEventIds: string[],
  diaryNoteIds: string[],
): DbTypes.Prisma.NotificationWhereInput {
  return {
    OR: [
      { idempotencyKey: { startsWith: `${app.workflowId}:` } },
      { idempotencyKey: { startsWith: `${webCourseGuidanceWorkflowId(app.caseNumber)}:` } },
      ...messageEventIds.flatMap((id) => [{ idempotencyKey: { startsWith: `message:${id}` } }, { idempotencyKey: { startsWith: `instructor-mail:${id}` } }]),
      ...diaryNoteIds.map((id) => ({ idempotencyKey: { startsWith: `diary-answer:${id}` } })),
    ],
  };
}

/** The case's record as the archive keeps it; null when there is no such case. */
export async function loadArchiveCase(db: Db, applicationId: string): Promise<ArchiveCase | null> {
  const app = await db.application.findUnique({
    where: { id: applicationId },
    include: {
      person: { select: { name: true, personnummer: true, email: true, phone: true } },
      guide: { select: { name: true } },
      group: { select: { name: true } },
      course: { include: { district: true, sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } } },
      events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      seatOffers: { include: { course: { select: { title: true } } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      diaryNotes: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      attendance: { include: { session: { select: { startsAt: true } } }, orderBy: { markedAt: 'asc' } },
      invitations: { include: { survey: { select: { kind: true } } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      consent: true,
      invoices: { orderBy: [{ issuedAt: 'asc' }, { number: 'asc' }] },
      certificate: true,
    },
  });
  if (!app) return null;
  const actorIds = [...new Set(app.events.map((e) => e.actor).filter((a) => /^[0-9a-f-]{36}$/i.test(a) && a !== app.personId))];
  const staff = actorIds.length ? await db.person.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } }) : [];
  const messageIds = app.events.filter((e) => e.type === 'message').map((e) => e.id);
  const notifications = await db.notification.findMany({
    where: caseNotificationWhere(app, messageIds, app.diaryNotes.map((n) => n.id)),
    orderBy: [{ createdAt: 'asc' }, { idempotencyKey: 'asc' }],
  });
  const sessionsById = new Map(app.course.sessions.map((s) => [s.id, s.startsAt]));

  const record: ArchiveCase = {
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    caseNumber: app.caseNumber,
    kind: app.kind,
    status: app.status,
    submittedAt: iso(app.submittedAt),
    decidedAt: isoOrNull(app.decidedAt),
    closedAt: isoOrNull(app.closedAt),
    approvedAt: isoOrNull(app.approvedAt),
    course: {
      id: app.course.id,
      title: app.course.title,
      kind: app.course.kind,
      language: app.course.language,
      district: app.course.district ? { slug: app.course.district.slug, name: app.course.district.name } : null,
      sessions: app.course.sessions.map((s) => ({ startsAt: iso(s.startsAt), endsAt: iso(s.endsAt), place: s.room ? `${s.room.name}, ${s.room.address}` : null })),
    },
    applicant: { name: app.person.name, personnummer: app.person.personnummer, email: app.person.email, phone: app.person.phone },
    answers: asRecord(app.answers),
    queueReason: app.queueReason,
    supervisionGroup: app.group?.name ?? null,
    guide: app.guide ? { name: app.guide.name } : null,
    events: app.events.map((e) => {
      const person = staff.find((p) => p.id === e.actor);
      const actor = e.actor === 'system' ? 'system' : e.actor === 'manager' ? 'manager' : e.actor === app.personId ? 'applicant' : person ? 'staff' : 'unknown';
      return { type: e.type, at: iso(e.createdAt), actor, actorName: person?.name ?? null, data: asRecord(e.data) };
    }),
    notifications: notifications.map((n) => ({
      channel: n.channel,
      recipient: n.recipient,
      subject: n.subject,
      body: n.body,
      status: n.status,
      createdAt: iso(n.createdAt),
      sentAt: isoOrNull(n.sentAt),
    })),
    diaryNotes: app.diaryNotes.map((n) => ({ moduleNumber: n.moduleNumber, fromGuide: n.fromGuide, body: n.body, at: iso(n.createdAt) })),
    seatOffers: app.seatOffers.map((o) => ({ courseTitle: o.course.title, status: o.status, createdAt: iso(o.createdAt), expiresAt: iso(o.expiresAt), answeredAt: isoOrNull(o.answeredAt) })),
    attendance: app.attendance.map((a) => ({ sessionStartsAt: iso(a.session.startsAt), present: a.present, markedAt: iso(a.markedAt) })),
    surveyInvitations: app.invitations.map((i) => ({
      surveyKind: i.survey.kind,
      sessionStartsAt: i.sessionId ? isoOrNull(sessionsById.get(i.sessionId)) : null,
      moduleNumber: i.moduleNumber,
      answered: i.used,
      createdAt: iso(i.createdAt),
      remindedAt: isoOrNull(i.remindedAt),
    })),
    consent: app.consent
      ? {
          managerEmail: app.consent.managerEmail,
          decision: app.consent.decision === 'approved' || app.consent.decision === 'declined' ? app.consent.decision : null,
          comment: app.consent.comment,
          createdAt: iso(app.consent.createdAt),
          expiresAt: iso(app.consent.expiresAt),
          usedAt: isoOrNull(app.consent.usedAt),
          remindedAt: isoOrNull(app.consent.remindedAt),
        }
      : null,
    invoices: app.invoices.map((i) => ({
      number: i.number,
      amountOre: i.amountOre,
      dueDate: i.dueDate.toISOString().slice(0, 10),
      issuedAt: iso(i.issuedAt),
      paidAt: isoOrNull(i.paidAt),
      remindedAt: isoOrNull(i.remindedAt),
    })),
    certificate: app.certificate
      ? { number: app.certificate.number, holderName: app.certificate.holderName, trainingTitle: app.certificate.trainingTitle, issuedAt: iso(app.certificate.issuedAt) }
      : null,
  };
  return ArchiveCaseSchema.parse(record);
}
