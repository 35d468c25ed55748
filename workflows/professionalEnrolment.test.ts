// A professional's enrolment on the real Temporal dev server and real PostgreSQL (R6, R7.3, R8.6,
// R8.8): consent approved, declined, reminded then expired; admission and queue with a reason;
// an invoice overdue then paid; the certificate issued once. Timings are seconds, from settings.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { saveCaseTimings } from '../lib/settings';
import { eventually } from '../test/support/eventually';
import { startStack, type TestStack } from '../test/support/stack';
import {
  enrolmentStatusQuery,
  instructorDecisionUpdate,
  invoiceIssuedSignal,
  invoicePaidSignal,
  managerDecisionUpdate,
  PROFESSIONAL_ENROLMENT,
  professionalEnrolmentWorkflowId,
} from './professionalEnrolment.messages';
import { moveToQueueUpdate, withdrawUpdate } from './case.messages';
import * as caseCommands from '../lib/commands/case';
import * as enrolmentCommands from '../lib/commands/professionalEnrolment';
import { CaseStatusKey, WaitingForKey } from './searchAttributes';
import { recordHistory } from '../test/support/histories';

let stack: TestStack;
let trainingId: string;
let instructorId: string;
let serial = 0;

beforeAll(async () => {
  stack = await startStack();
  const db = stack.deps.db;
  await saveCaseTimings(db, { consentReminderMs: 2_000, consentDeadlineMs: 4_500 }, null);
  const training = await db.course.create({
    data: {
      kind: 'training',
      title: 'Gruppledarutbildning (test)',
      capacity: 1,
      feeOre: 1_200_000,
      sessions: { create: [{ startsAt: new Date(Date.now() + 7 * 86_400_000), endsAt: new Date(Date.now() + 7 * 86_400_000 + 3 * 3_600_000) }] },
    },
  });
  trainingId = training.id;
  instructorId = (await db.person.create({ data: { email: `instr-${randomUUID().slice(0, 6)}@komet.example`, name: 'Nora' } })).id;
});
afterAll(async () => stack?.stop());

async function enrol(courseId = trainingId) {
  const db = stack.deps.db;
  const person = await db.person.create({ data: { email: `pro-${randomUUID().slice(0, 8)}@example.org`, name: 'Pia Proffs', phone: '+46701112233' } });
  const caseNumber = `KOM-2026-9${String(++serial).padStart(5, '0')}`;
  const workflowId = professionalEnrolmentWorkflowId(caseNumber);
  const app = await db.application.create({
    data: {
      caseNumber,
      kind: 'training',
      personId: person.id,
      courseId,
      status: 'awaitingConsent',
      answers: { workplace: 'Förskolan Solen', managerName: 'Chef Chefsson', managerEmail: `chef-${serial}@example.org` },
      idempotencyKey: randomUUID(),
      workflowId,
    },
  });
  const handle = await stack.deps.temporal.workflow.start(PROFESSIONAL_ENROLMENT, {
    workflowId,
    taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ caseNumber, applicationId: app.id, courseId }],
  });
  const request = await eventually(() => db.consentRequest.findUniqueOrThrow({ where: { applicationId: app.id } }));
  return { app, handle, request, managerEmail: `chef-${serial}@example.org` };
}

/** Every payload in a history as text: what the Temporal server holds. */
function payloadText(node: unknown): string {
  if (node instanceof Uint8Array) return Buffer.from(node).toString('utf8');
  if (Array.isArray(node)) return node.map(payloadText).join(' ');
  if (node && typeof node === 'object') return Object.values(node).map(payloadText).join(' ');
  return '';
}

const statusOf = async (id: string) => (await stack.deps.db.application.findUniqueOrThrow({ where: { id } })).status;
const eventTypes = async (id: string) =>
  (await stack.deps.db.caseEvent.findMany({ where: { applicationId: id }, orderBy: { createdAt: 'asc' } })).map((e) => e.type);

describe('the manager’s consent', () => {
  it('approved: the link reaches the manager, the answer reaches the case at once, and a second use is refused', async () => {
    const { app, handle, request, managerEmail } = await enrol();
    const mail = await eventually(() => stack.deps.db.notification.findFirstOrThrow({ where: { recipient: managerEmail } }));
    expect(mail.body).toContain(`/samtycke/${request.id}?`);
    expect(mail.body).toContain('Förskolan Solen');

    expect(await handle.executeUpdate(managerDecisionUpdate, { args: [{ consentRequestId: request.id, decision: 'approved' }] })).toEqual({ ok: true, status: 'consented' });
    expect(await statusOf(app.id)).toBe('consented');
    expect(await eventTypes(app.id)).toContain('consent.approved');
    expect(await enrolmentCommands.managerDecision(stack.deps.temporal, handle.workflowId, { consentRequestId: request.id, decision: 'declined' })).toEqual({ ok: false, code: 'not-awaiting' });
    await eventually(async () => expect(await eventTypes(app.id)).toContain('notice.consentApproved'));
  });

  it('a supervisor moves a consented enrolment to the queue: the applicant is told, and it waits for admission', async () => {
    const { app, handle, request } = await enrol();
    expect(await caseCommands.moveToQueue(stack.deps.temporal, handle.workflowId, { actorId: instructorId })).toEqual({ ok: false, code: 'not-movable' });
    await handle.executeUpdate(managerDecisionUpdate, { args: [{ consentRequestId: request.id, decision: 'approved' }] });
    expect(await handle.executeUpdate(moveToQueueUpdate, { args: [{ actorId: instructorId }] })).toMatchObject({ ok: true, status: 'queued' });
    expect(await statusOf(app.id)).toBe('queued');
    await eventually(async () => expect(await eventTypes(app.id)).toEqual(expect.arrayContaining(['case.movedToQueue', 'notice.queued'])));
    await eventually(async () => {
      expect((await handle.query(enrolmentStatusQuery)).waitingFor).toBe('admission');
      const attrs = (await handle.describe()).typedSearchAttributes;
      expect(attrs.get(CaseStatusKey)).toBe('queued');
      expect(attrs.get(WaitingForKey)).toBe('admission');
    });
  });

  it('declined: the enrolment closes and the applicant and the admin are told', async () => {
    const { app, handle, request } = await enrol();
    await handle.executeUpdate(managerDecisionUpdate, { args: [{ consentRequestId: request.id, decision: 'declined' }] });
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect(await statusOf(app.id)).toBe('consentDeclined');
    expect(await eventTypes(app.id)).toContain('notice.consentDeclined');
    expect(await stack.deps.db.notification.count({ where: { recipient: 'admin@komet.example', subject: { contains: app.caseNumber } } })).toBe(1);
  });

  it('no answer: one reminder with the same link, then the case closes as no consent', async () => {
    const { app, handle, managerEmail } = await enrol();
    await eventually(async () => expect(await stack.deps.db.notification.count({ where: { recipient: managerEmail } })).toBe(2), 15_000);
    const [first, reminder] = await stack.deps.db.notification.findMany({ where: { recipient: managerEmail }, orderBy: { createdAt: 'asc' } });
    expect(reminder.subject).toMatch(/^Påminnelse/);
    const link = (body: string) => /\/samtycke\/\S+/.exec(body)![0];
    expect(link(reminder.body)).toBe(link(first.body));

    await eventually(async () => expect(await statusOf(app.id)).toBe('noConsent'), 15_000);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect(await eventTypes(app.id)).toEqual(expect.arrayContaining(['consent.expired', 'notice.noConsent']));
    await recordHistory(handle, 'professionalEnrolment-noConsent');
  });
});

describe('during the training', () => {
  it('opens each session’s evaluation and progress surveys when it ends, as for parents', async () => {
    const db = stack.deps.db;
    const short = await db.course.create({
      data: {
        kind: 'training',
        title: 'Kort utbildning (test)',
        capacity: 5,
        sessions: { create: [{ startsAt: new Date(Date.now() + 1_000), endsAt: new Date(Date.now() + 4_000) }] },
      },
      include: { sessions: true },
    });
    const c = await enrol(short.id);
    await c.handle.executeUpdate(managerDecisionUpdate, { args: [{ consentRequestId: c.request.id, decision: 'approved' }] });
    await c.handle.executeUpdate(instructorDecisionUpdate, { args: [{ decision: 'admit', actorId: instructorId }] });
    await eventually(async () => {
      const invitations = await db.surveyInvitation.findMany({ where: { applicationId: c.app.id, sessionId: short.sessions[0].id }, include: { survey: true } });
      expect(invitations.map((i) => i.survey.kind).sort()).toEqual(['progress', 'sessionEvaluation']);
    }, 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(short.sessions[0].endsAt.getTime());
    await eventually(async () => expect(await eventTypes(c.app.id)).toContain('notice.surveysOpen'));
  });
});

describe('withdrawal', () => {
  it('while awaiting consent: the case closes and the manager’s link stops working', async () => {
    const { app, handle, request } = await enrol();
    expect(await handle.executeUpdate(withdrawUpdate, { args: [{ actorId: app.personId, byStaff: false }] })).toEqual({ ok: true });
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect(await statusOf(app.id)).toBe('withdrawn');
    expect((await stack.deps.db.consentRequest.findUniqueOrThrow({ where: { id: request.id } })).usedAt).not.toBeNull();
  });
});

describe('admission, fees and the certificate', () => {
  it('admits into a group, queues the next with a reason, chases an overdue invoice until paid, and issues the certificate once', async () => {
    const db = stack.deps.db;
    const group = await db.supervisionGroup.create({ data: { courseId: trainingId, name: `Grupp ${randomUUID().slice(0, 4)}` } });
    await db.application.updateMany({ where: { courseId: trainingId, status: 'admitted' }, data: { status: 'withdrawn' } });
    const first = await enrol();
    const second = await enrol();
    for (const c of [first, second]) await c.handle.executeUpdate(managerDecisionUpdate, { args: [{ consentRequestId: c.request.id, decision: 'approved' }] });

    expect(await first.handle.executeUpdate(instructorDecisionUpdate, { args: [{ decision: 'admit', groupId: group.id, actorId: instructorId }] })).toEqual({
      ok: true,
      status: 'admitted',
      queuePosition: null,
    });
    expect(await second.handle.executeUpdate(instructorDecisionUpdate, { args: [{ decision: 'admit', actorId: instructorId }] })).toEqual({ ok: false, code: 'course-full' });
    expect(await second.handle.executeUpdate(instructorDecisionUpdate, { args: [{ decision: 'queue', actorId: instructorId }] })).toEqual({ ok: false, code: 'reason-required' });
    // As the console does: the free-text reason goes to the database, not into the workflow.
    await db.application.update({ where: { id: second.app.id }, data: { queueReason: 'Gruppen är full' } });
    expect(await second.handle.executeUpdate(instructorDecisionUpdate, { args: [{ decision: 'queue', actorId: instructorId }] })).toMatchObject({ ok: true, status: 'queued' });
    expect(payloadText(await second.handle.fetchHistory())).toContain('"queue"');
    expect(payloadText(await second.handle.fetchHistory())).not.toContain('Gruppen är full');
    expect((await db.application.findUniqueOrThrow({ where: { id: second.app.id } })).queueReason).toBe('Gruppen är full');
    await eventually(async () => {
      const admitted = await db.caseEvent.findFirstOrThrow({ where: { applicationId: first.app.id, type: 'notice.admitted' } });
      expect((admitted.data as { sessions: unknown[]; group: string }).group).toBe(group.name);
    });
    await eventually(async () => {
      const queued = await db.caseEvent.findFirstOrThrow({ where: { applicationId: second.app.id, type: 'notice.queued' } });
      expect((queued.data as { reason: string }).reason).toBe('Gruppen är full');
    });

    // An invoice due yesterday is overdue at once: one reminder; paid, the chase stops.
    const invoice = await db.invoice.create({
      data: { number: `KOMF-TEST-${serial}`, applicationId: first.app.id, amountOre: 1_200_000, dueDate: new Date(Date.now() - 86_400_000) },
    });
    await first.handle.signal(invoiceIssuedSignal, { invoiceId: invoice.id, dueDate: invoice.dueDate.toISOString().slice(0, 10) });
    await eventually(async () => expect(await eventTypes(first.app.id)).toEqual(expect.arrayContaining(['notice.invoiceIssued', 'notice.invoiceOverdue'])));
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).remindedAt).not.toBeNull();
    await db.invoice.update({ where: { id: invoice.id }, data: { paidAt: new Date() } });
    await first.handle.signal(invoicePaidSignal, { invoiceId: invoice.id });
    await eventually(async () => expect((await first.handle.query(enrolmentStatusQuery)).openInvoices).toEqual([]));

    // The certificate needs the completed training: before its last session, neither "Godkänd" nor
    // the certificate is taken (rules/training.ts), and nothing changes.
    const approve = () => enrolmentCommands.markApproved(stack.deps.temporal, first.handle.workflowId, { approved: true, actorId: instructorId });
    const certificate = () => enrolmentCommands.issueCertificate(stack.deps.temporal, first.handle.workflowId, { actorId: instructorId });
    expect(await approve()).toEqual({ ok: false, code: 'training-not-finished' });
    expect(await certificate()).toEqual({ ok: false, code: 'training-not-finished' });
    expect(await db.certificate.count({ where: { applicationId: first.app.id } })).toBe(0);
    // The training took place (its session is over) and attendance was registered.
    const [session] = await db.courseSession.findMany({ where: { courseId: first.app.courseId } });
    await db.courseSession.update({ where: { id: session.id }, data: { startsAt: new Date(Date.now() - 5 * 3_600_000), endsAt: new Date(Date.now() - 2 * 3_600_000) } });
    expect(await certificate()).toEqual({ ok: false, code: 'attendance-not-recorded' });
    await db.attendance.create({ data: { sessionId: session.id, applicationId: first.app.id, present: true, markedById: instructorId } });
    expect(await certificate()).toEqual({ ok: false, code: 'not-approved' });
    expect(await approve()).toEqual({ ok: true, approved: true });
    const issued = await certificate();
    expect(issued).toMatchObject({ ok: true });
    await eventually(async () => expect((await first.handle.describe()).status.name).toBe('COMPLETED'));
    expect(await statusOf(first.app.id)).toBe('completed');
    // The workflow says so too (the model test found it saying admitted).
    expect((await first.handle.query(enrolmentStatusQuery)).status).toBe('completed');
    expect(await eventTypes(first.app.id)).toContain('notice.certificateIssued');
    await recordHistory(first.handle, 'professionalEnrolment-certified-completed');

    // A retried certificate activity (as after a lost answer) issues nothing new.
    const activities = createActivities(stack.deps);
    const again = await activities.issueEnrolmentCertificate({ applicationId: first.app.id, actorId: instructorId, dedupeKey: `${first.handle.workflowId}:certificate` });
    expect(again).toEqual(issued);
    expect(await db.certificate.count({ where: { applicationId: first.app.id } })).toBe(1);
  });
});
