// The retention run on the real stack (R9.3, R11.5): the daily Temporal Schedule starts the
// archiveRetention workflow, which packages every case closed longer than the retention period
// and then erases exactly the personal data the policy names, and nothing else; a second run
// changes nothing.
import { unzipSync } from 'fflate';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageIdOf } from '../lib/archive/archivePackage';
import { eraseCaseData, loadArchiveRetention, retentionCutoff, saveArchiveRetention } from '../lib/archive/retention';
import { ensureRetentionSchedule } from '../lib/archive/retentionSchedule';
import type { Db } from '../lib/db';
import { DEMO_STAFF } from '../prisma/seed';
import { ARCHIVE_RETENTION, ARCHIVE_RETENTION_SCHEDULE_ID, type ArchiveRetentionTotals } from '../workflows/archiveRetention.messages';
import { insertCase, monthsAgo } from './support/caseRows';
import { eventually } from './support/eventually';
import { recordHistory } from './support/histories';
import { startStack, TEST_PERSONNUMMER, type TestStack } from './support/stack';
import { newVerificationCode } from '../lib/certificates/verificationCode';

let stack: TestStack;
let db: Db;
let pnr = 0;
let leaderId: string;
let groupCourseId: string;
let trainingId: string;
const ids: Record<string, string> = {};
const people: Record<string, string> = {};

async function applicant(label: string) {
  const n = pnr++;
  const p = await db.person.create({
    data: { email: `${label}-${randomUUID().slice(0, 8)}@example.org`, name: `Namn ${label}`, personnummer: TEST_PERSONNUMMER[n], phone: `+4670111220${n}` },
  });
  people[label] = p.id;
  return p;
}

/** A case with something of everything the policy speaks of. */
async function richCase(label: string, person: { id: string; email: string; phone: string | null }, status: 'completed' | 'withdrawn' | 'notCompleted' | 'admitted' | 'submitted', closedAt: Date | null) {
  const app = await insertCase(db, {
    personId: person.id,
    courseId: groupCourseId,
    status,
    submittedAt: closedAt ? monthsAgo(2, closedAt) : new Date(),
    closedAt,
    answers: { childAge: 4, message: `Hemligt om barnet ${label}` },
  });
  ids[label] = app.id;
  const wf = app.workflowId;
  const message = await db.caseEvent.create({ data: { applicationId: app.id, type: 'message', actor: person.id, data: { body: `Privat meddelande ${label}`, from: 'parent' } } });
  await db.caseEvent.create({ data: { applicationId: app.id, type: 'decision.admitted', actor: leaderId, dedupeKey: `${wf}:decision-1` } });
  await db.caseEvent.create({ data: { applicationId: app.id, type: 'notice.admitted', actor: 'system', dedupeKey: `${wf}:notice-1`, data: { courseTitle: 'Komet', sessions: [{ place: 'Medborgarhuset' }] } } });
  await db.notification.createMany({
    data: [
      { channel: 'email', recipient: person.email, subject: 'Nytt i ditt ärende', body: 'Logga in på Mina ärenden', status: 'sent', idempotencyKey: `${wf}:notice-1` },
      { channel: 'sms', recipient: person.phone ?? '+46700000000', subject: '', body: 'Nytt i ditt ärende', status: 'sent', idempotencyKey: `${wf}:notice-1:sms` },
      { channel: 'email', recipient: DEMO_STAFF.leaderSodermalm, subject: 'Nytt meddelande', body: 'Ett meddelande väntar', status: 'sent', idempotencyKey: `message:${message.id}:${leaderId}` },
    ],
  });
  await db.application.update({ where: { id: app.id }, data: { queueReason: `Kö-skäl ${label}` } });
  await db.diaryNote.create({ data: { applicationId: app.id, moduleNumber: 1, authorId: person.id, body: `Min dagbok ${label}` } });
  const survey = await db.surveyDefinition.findFirstOrThrow({ where: { kind: 'sessionEvaluation' } });
  await db.surveyInvitation.create({ data: { surveyId: survey.id, applicationId: app.id, courseId: groupCourseId, tokenHash: randomUUID(), dedupeKey: `${wf}:survey-${randomUUID()}` } });
  const session = await db.courseSession.findFirstOrThrow({ where: { courseId: groupCourseId } });
  await db.attendance.create({ data: { sessionId: session.id, applicationId: app.id, present: true, markedById: leaderId } });
  await db.seatOffer.create({ data: { applicationId: app.id, courseId: groupCourseId, status: 'accepted', expiresAt: new Date(), batchKey: `${wf}:offer` } });
  return app;
}

/** Everything the retention run could touch for one case, as plain data. */
async function snapshot(applicationId: string) {
  const app = await db.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: {
      person: { include: { loginTokens: true, sessions: true, calendarFeed: true } },
      events: { orderBy: { id: 'asc' } },
      diaryNotes: true,
      invitations: true,
      attendance: true,
      seatOffers: true,
      consent: true,
      invoices: true,
      certificate: true,
      archivePackage: { select: { sha256: true, createdAt: true, createdBy: true } },
    },
  });
  const notifications = await db.notification.findMany({
    where: { OR: [{ idempotencyKey: { startsWith: `${app.workflowId}:` } }, { idempotencyKey: { in: app.events.map((e) => `message:${e.id}:${leaderId}`) } }] },
    orderBy: { idempotencyKey: 'asc' },
  });
  const audit = await db.auditEntry.findMany({ where: { applicationId }, orderBy: { id: 'asc' } });
  return JSON.parse(JSON.stringify({ app, notifications, audit }));
}

beforeAll(async () => {
  stack = await startStack();
  db = stack.deps.db;
  leaderId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
  groupCourseId = (await db.course.findFirstOrThrow({ where: { kind: 'groupCourse', district: { slug: 'sodermalm' } } })).id;
  trainingId = (await db.course.findFirstOrThrow({ where: { kind: 'training' } })).id;

  const a = await applicant('A');
  await richCase('a1', a, 'completed', monthsAgo(30));
  const token = await db.loginToken.create({ data: { personId: a.id, tokenHash: randomUUID(), expiresAt: new Date() } });
  await db.notification.create({ data: { channel: 'email', recipient: a.email, subject: 'Logga in', body: 'https://komet.example/logga-in?token=x', status: 'sent', idempotencyKey: `login:${token.id}` } });
  await db.webSession.create({ data: { personId: a.id, idHash: randomUUID() } });
  await db.calendarFeed.create({ data: { personId: a.id, tokenHash: randomUUID() } });
  await db.auditEntry.create({ data: { actorId: leaderId, action: 'caseOpened', applicationId: ids.a1, caseNumber: 'x', reason: 'quality: test' } });

  const b = await applicant('B');
  await richCase('b1', b, 'withdrawn', monthsAgo(36));
  await richCase('b2', b, 'admitted', null);
  const c = await applicant('C');
  await richCase('c1', c, 'completed', monthsAgo(2));
  const d = await applicant('D');
  await richCase('d1', d, 'submitted', null);
  const g = await applicant('G');
  await richCase('g1', g, 'notCompleted', monthsAgo(40));
  await richCase('g2', g, 'completed', monthsAgo(25));
  const leader = await db.person.findUniqueOrThrow({ where: { id: leaderId } });
  await richCase('s1', leader, 'completed', monthsAgo(30));

  // A professional's training: consent, invoice and certificate.
  const f = await applicant('F');
  const training = await insertCase(db, {
    personId: f.id,
    courseId: trainingId,
    kind: 'training',
    status: 'completed',
    submittedAt: monthsAgo(30),
    closedAt: monthsAgo(26),
    answers: { workplace: 'Förskolan Solrosen', jobTitle: 'Förskollärare', managerName: 'Per Rektor', managerEmail: 'per.rektor@example.org', message: '' },
  });
  ids.f1 = training.id;
  await db.consentRequest.create({
    data: { applicationId: training.id, managerEmail: 'per.rektor@example.org', tokenHash: randomUUID(), expiresAt: monthsAgo(29), usedAt: monthsAgo(29), decision: 'approved', comment: 'Bra initiativ' },
  });
  await db.invoice.create({ data: { number: 'KOMF-2023-90001', applicationId: training.id, amountOre: 125000, dueDate: monthsAgo(28), paidAt: monthsAgo(28) } });
  await db.certificate.create({ data: { number: 'KOMI-2023-90001', verificationCode: newVerificationCode(), applicationId: training.id, holderName: 'Namn F', trainingTitle: 'Komet gruppledarutbildning' } });
});
afterAll(async () => stack?.stop());

const DUE = ['a1', 'b1', 'g1', 'g2', 's1', 'f1'];
const UNTOUCHED = ['b2', 'c1', 'd1'];
const before: Record<string, ReturnType<typeof JSON.parse>> = {};

describe('the retention schedule', () => {
  it('is created once, daily, skipping overlaps, and follows the task queue', async () => {
    const queue = stack.deps.config.TEMPORAL_TASK_QUEUE;
    expect(await ensureRetentionSchedule(stack.deps.temporal, 'another-queue')).toBe('created');
    expect(await ensureRetentionSchedule(stack.deps.temporal, queue)).toBe('updated');
    expect(await ensureRetentionSchedule(stack.deps.temporal, queue)).toBe('exists');
    const described = await stack.deps.temporal.schedule.getHandle(ARCHIVE_RETENTION_SCHEDULE_ID).describe();
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: ARCHIVE_RETENTION, taskQueue: queue });
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(described.spec.timezone).toBe('Europe/Stockholm');
  });
});

describe('a retention run', () => {
  let totals: ArchiveRetentionTotals;

  it('defaults to two years after closing', async () => {
    expect(await loadArchiveRetention(db)).toEqual({ retentionMonths: 24 });
    expect(retentionCutoff(new Date('2028-03-15T12:00:00Z'), { retentionMonths: 24 }).toISOString()).toBe('2026-03-15T12:00:00.000Z');
    await expect(saveArchiveRetention(db, { retentionMonths: 0 }, null)).rejects.toThrow();
    expect(await loadArchiveRetention(db)).toEqual({ retentionMonths: 24 });
  });

  it('started by the schedule, archives and erases exactly the cases closed longer than that', async () => {
    for (const label of [...DUE, ...UNTOUCHED]) before[label] = await snapshot(ids[label]);
    const schedule = stack.deps.temporal.schedule.getHandle(ARCHIVE_RETENTION_SCHEDULE_ID);
    await schedule.trigger();
    const started = await eventually(async () => {
      const actions = (await schedule.describe()).info.recentActions;
      expect(actions.length).toBeGreaterThan(0);
      return actions[0].action.workflow.workflowId;
    });
    totals = await stack.deps.temporal.workflow.getHandle(started).result();
    await recordHistory(stack.deps.temporal.workflow.getHandle(started), 'archiveRetention-erased');
    expect(totals).toEqual({ archived: 6, erased: 6, personsErased: 3, failed: 0 });
    for (const label of DUE) expect((await db.application.findUniqueOrThrow({ where: { id: ids[label] } })).erasedAt, label).not.toBeNull();
  });

  it('leaves the open and the recently closed cases exactly as they were', async () => {
    for (const label of UNTOUCHED) expect(await snapshot(ids[label]), label).toEqual(before[label]);
  });

  it('keeps a package of each case with the data it erased, its checksum matching', async () => {
    for (const label of DUE) {
      const pkg = await db.archivePackage.findUniqueOrThrow({ where: { applicationId: ids[label] } });
      expect(pkg.createdBy).toBe('system');
      expect(pkg.sha256).toBe(createHash('sha256').update(pkg.content).digest('hex'));
      expect(pkg.sizeBytes).toBe(pkg.content.length);
      const files = unzipSync(new Uint8Array(pkg.content));
      const record = JSON.parse(new TextDecoder().decode(files[`${packageIdOf(pkg.caseNumber)}/representations/rep1/data/arende.json`]));
      expect(record.caseNumber).toBe(pkg.caseNumber);
      if (label !== 'f1') {
        expect(record.answers.message).toBe(`Hemligt om barnet ${label}`);
        expect(record.events.find((e: { type: string }) => e.type === 'message').data.body).toBe(`Privat meddelande ${label}`);
        expect(record.diaryNotes[0].body).toBe(`Min dagbok ${label}`);
        expect(record.notifications.map((n: { recipient: string }) => n.recipient)).toContain(DEMO_STAFF.leaderSodermalm);
      }
    }
    const a1 = JSON.parse(
      new TextDecoder().decode(
        unzipSync(new Uint8Array((await db.archivePackage.findUniqueOrThrow({ where: { applicationId: ids.a1 } })).content))[`${packageIdOf(before.a1.app.caseNumber)}/representations/rep1/data/arende.json`],
      ),
    );
    expect(a1.applicant).toEqual({ name: 'Namn A', personnummer: TEST_PERSONNUMMER[0], email: before.a1.app.person.email, phone: before.a1.app.person.phone });
  });

  it('erases the free text and the personal links of each case and keeps its skeleton', async () => {
    for (const label of DUE) {
      const was = before[label];
      const now = await snapshot(ids[label]);
      // Kept: number, kind, course, status, dates.
      for (const key of ['caseNumber', 'kind', 'courseId', 'status', 'submittedAt', 'decidedAt', 'closedAt', 'personId', 'workflowId']) {
        expect(now.app[key], `${label}.${key}`).toEqual(was.app[key]);
      }
      // Erased: answers, queue reason, event data (events themselves stay), diary, invitations.
      expect(now.app.answers).toEqual({});
      expect(now.app.queueReason).toBeNull();
      expect(now.app.events.map((e: { type: string; actor: string; createdAt: string }) => [e.type, e.actor, e.createdAt])).toEqual(
        was.app.events.map((e: { type: string; actor: string; createdAt: string }) => [e.type, e.actor, e.createdAt]),
      );
      for (const e of now.app.events) expect(e.data).toEqual({});
      expect(now.app.diaryNotes).toEqual([]);
      expect(now.app.invitations).toEqual([]);
      // Notifications: rows stay (channel, status, times); who and what are gone.
      expect(now.notifications).toHaveLength(was.notifications.length);
      for (const n of now.notifications) expect([n.recipient, n.subject, n.body]).toEqual(['raderad', '', '']);
      expect(now.notifications.map((n: { channel: string; status: string; sentAt: string }) => [n.channel, n.status, n.sentAt])).toEqual(
        was.notifications.map((n: { channel: string; status: string; sentAt: string }) => [n.channel, n.status, n.sentAt]),
      );
      // Kept: attendance, seat offers, invoices, certificate, the audit trail.
      expect(now.app.attendance).toEqual(was.app.attendance);
      expect(now.app.seatOffers).toEqual(was.app.seatOffers);
      expect(now.app.invoices).toEqual(was.app.invoices);
      expect(now.app.certificate).toEqual(was.app.certificate);
      expect(now.audit).toEqual(was.audit);
    }
    expect(before.a1.audit).toHaveLength(1);
    const consent = (await snapshot(ids.f1)).app.consent;
    expect(consent.managerEmail).toMatch(/^raderad-[0-9a-f-]{36}@invalid$/);
    expect(consent.comment).toBeNull();
    expect(consent.decision).toBe('approved');
    expect((await snapshot(ids.f1)).app.certificate.holderName).toBe('Namn F');
  });

  it('erases an applicant with their last case, and keeps one who still has a case or is staff', async () => {
    for (const label of ['A', 'G', 'F']) {
      const p = await db.person.findUniqueOrThrow({ where: { id: people[label] }, include: { loginTokens: true, sessions: true, calendarFeed: true } });
      expect([p.name, p.personnummer, p.phone], label).toEqual([null, null, null]);
      expect(p.email).toMatch(/^raderad-[0-9a-f-]{36}@invalid$/);
      expect(p.loginTokens).toEqual([]);
      expect(p.sessions).toEqual([]);
      expect(p.calendarFeed).toBeNull();
    }
    const login = await db.notification.findFirstOrThrow({ where: { idempotencyKey: { startsWith: 'login:' }, subject: '' } });
    expect([login.recipient, login.body]).toEqual(['raderad', '']);
    const b = await db.person.findUniqueOrThrow({ where: { id: people.B } });
    expect(b).toMatchObject({ name: 'Namn B', personnummer: before.b1.app.person.personnummer, email: before.b1.app.person.email });
    const leader = await db.person.findUniqueOrThrow({ where: { id: leaderId } });
    expect(leader.email).toBe(DEMO_STAFF.leaderSodermalm);
    expect(leader.name).toBe(before.s1.app.person.name);
  });

  it('changes nothing when it runs again', async () => {
    const after: Record<string, unknown> = {};
    for (const label of [...DUE, ...UNTOUCHED]) after[label] = await snapshot(ids[label]);
    const second = await stack.deps.temporal.workflow.execute(ARCHIVE_RETENTION, {
      taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
      workflowId: `archive-retention-again-${randomUUID()}`,
      args: [{}],
    });
    expect(second).toEqual({ archived: 0, erased: 0, personsErased: 0, failed: 0 });
    for (const label of [...DUE, ...UNTOUCHED]) expect(await snapshot(ids[label]), label).toEqual(after[label]);
  });

  it('refuses to erase a closed case that has no package', async () => {
    const e = await applicant('E');
    const app = await richCase('e1', e, 'completed', monthsAgo(30));
    const was = await snapshot(app.id);
    expect(await eraseCaseData(db, app.id)).toEqual({ ok: false, code: 'no-package' });
    expect(await eraseCaseData(db, ids.d1)).toEqual({ ok: false, code: 'not-closed' });
    expect(await snapshot(app.id)).toEqual(was);
  });

  it('pages through the due cases in batches, continuing as new to keep the history short', async () => {
    // e1 from the test before is due too; three more, of applicants without other data.
    for (let i = 0; i < 3; i++) {
      const p = await db.person.create({ data: { email: `x${i}-${randomUUID().slice(0, 8)}@example.org`, name: `Namn X${i}` } });
      await insertCase(db, { personId: p.id, courseId: groupCourseId, status: 'withdrawn', submittedAt: monthsAgo(40), closedAt: monthsAgo(39) });
    }
    const handle = await stack.deps.temporal.workflow.start(ARCHIVE_RETENTION, {
      taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
      workflowId: `archive-retention-batches-${randomUUID()}`,
      args: [{ batchSize: 2, historyLimit: 1 }],
    });
    expect(await handle.result()).toEqual({ archived: 4, erased: 4, personsErased: 4, failed: 0 });
    const firstRun = await stack.deps.temporal.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(await db.application.count({ where: { status: { in: ['withdrawn', 'completed', 'notCompleted'] }, closedAt: { lt: monthsAgo(24) }, erasedAt: null } })).toBe(0);
  });
});
