// Notices that help (issue 16): at most one e-mail and one SMS per case per quiet period, the first
// after a quiet spell at once, nothing important lost (held, then told when the period ends), each
// saying what kind of thing happened, in the person's language. Proved on the real guide sign-off
// path (Temporal dev server, the guidance workflow, the guide's console) and on the activity itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseNoticeActivities } from '../activities/caseNotices';
import { submitApplication } from '../lib/cases/submitApplication';
import { lastNotice, resendLastNotice } from '../lib/inspector/notices';
import { sweepHeldNotices, tellCase } from '../lib/notices/caseNotices';
import { DEFAULT_CASE_TIMINGS, saveCaseTimings } from '../lib/settings';
import { saveTemplate } from '../lib/templates/messageTemplates';
import { DEMO_STAFF } from '../prisma/seed';
import { createApp } from '../web/app';
import { decideUpdate, parentApplicationWorkflowId } from '../workflows/parentApplication.messages';
import { eventually } from './support/eventually';
import { nextPersonnummer } from './support/personnummer';
import { createCitizen, startStack, VALID_DETAILS, type TestStack } from './support/stack';
import { WebClient } from './support/webClient';
import { untilWaitingFor } from './support/parentApplies';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let stack: TestStack;
const db = () => stack.deps.db;
const link = () => `${stack.deps.config.publicUrl}/mina-arenden`;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A Swedish mobile number no other test uses. */
const freshMobile = () => `+4670${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const mailsTo = (email: string) => stack.resend.delivered.filter((m) => m.to.includes(email));
const smsTo = (phone: string) => stack.sms.delivered.filter((m) => m.to === phone);

/** An application that exists in the database only: the notices below are the activity's alone. */
async function quietCase(language: string | null = null) {
  const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', status: 'open' } });
  const phone = freshMobile();
  const person = await db().person.create({ data: { email: `n-${randomUUID().slice(0, 8)}@example.org`, phone, language } });
  const application = await db().application.create({
    data: {
      caseNumber: `KOM-2031-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      kind: 'groupCourse',
      personId: person.id,
      courseId: course.id,
      answers: {},
      idempotencyKey: randomUUID(),
      workflowId: `parentApplication-test-${randomUUID()}`,
    },
  });
  const send = createCaseNoticeActivities(stack.deps).sendCaseNotice;
  const notice = (notice: Parameters<typeof send>[0]['notice'], step: string, details?: Parameters<typeof send>[0]['details']) =>
    send({ caseNumber: application.caseNumber, applicationId: application.id, notice, details, idempotencyKey: `${application.workflowId}:notice-${step}` });
  return { person, phone, application, notice };
}

describe('a burst of module sign-offs on the real guidance workflow', () => {
  it('gives the parent one e-mail and one SMS, in the parent’s language, saying there is something new', async () => {
    // A web course with ten modules, the demo guide its only guide.
    const course = await db().course.create({
      data: {
        kind: 'webCourse',
        title: 'Webbkurs med tio moment',
        capacity: 20,
        modules: { create: Array.from({ length: 10 }, (_, i) => ({ number: i + 1, title: `Moment ${i + 1}`, body: 'Text.' })) },
      },
    });
    const guide = await db().person.findUniqueOrThrow({ where: { email: DEMO_STAFF.guide } });
    await db().roleGrant.create({ data: { personId: guide.id, role: 'guide', courseId: course.id } });
    const admin = await db().person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } });

    // Until the burst every notice goes at once (no quiet period), so the case is in a known state.
    await saveCaseTimings(db(), { noticeQuietMs: 0 }, null);
    const phone = freshMobile();
    const parent = await createCitizen(stack.deps);
    await db().person.update({ where: { id: parent.id }, data: { language: 'en' } });
    const submitted = await submitApplication(
      { db: db(), temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
      { personId: parent.id, courseId: course.id, details: { ...VALID_DETAILS, phone, personnummer: nextPersonnummer() }, idempotencyKey: randomUUID(), actor: parent.id },
    );
    if (!submitted.ok) throw new Error(submitted.code);
    const { caseNumber } = submitted;
    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await untilWaitingFor(handle, 'decision');
    await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: admin.id }] });
    const application = await eventually(async () => {
      const row = await db().application.findUniqueOrThrow({ where: { caseNumber } });
      expect(row.currentModule).toBe(1);
      expect(row.guideId).toBe(guide.id);
      return row;
    });
    // Every notice so far (receipt, admission, web-course start) is out; the last was a day ago.
    await eventually(async () => expect(await db().caseNotice.count({ where: { applicationId: application.id, deliveredAt: null } })).toBe(0));
    await eventually(async () => expect(await db().caseNotice.count({ where: { applicationId: application.id } })).toBeGreaterThanOrEqual(3));
    await db().$executeRaw`UPDATE case_notice SET decided_at = decided_at - interval '1 day' WHERE application_id = ${application.id}::uuid`;
    await saveCaseTimings(db(), { noticeQuietMs: HOUR }, null);
    const mailsBefore = mailsTo(parent.email).length;
    const smsBefore = smsTo(phone).length;

    try {
      // The guide signs off nine modules in a row from the console, as in the reported case.
      const guideClient = new WebClient(createApp(stack.deps));
      await guideClient.login(db(), DEMO_STAFF.guide);
      for (let moduleNumber = 1; moduleNumber <= 9; moduleNumber++) {
        // Each module is signed off on the parent's diary note for it (R5.3, R5.4).
        await db().diaryNote.create({ data: { applicationId: application.id, moduleNumber, authorId: application.personId, body: `Moment ${moduleNumber}` } });
        const res = await guideClient.post(`/guide/${caseNumber}/godkann`, { moduleNumber: String(moduleNumber) });
        expect(res.headers.get('location')).toBe(`/guide/${caseNumber}?godkant=${moduleNumber + 1}`);
      }
      // The workflow records a notice per opened module (the parent sees each in Mina ärenden)...
      await eventually(async () => {
        expect(await db().caseEvent.count({ where: { applicationId: application.id, type: 'notice.moduleOpened' } })).toBe(9);
        const burst = await db().caseNotice.findMany({ where: { applicationId: application.id, key: { contains: ':notice-module-' } } });
        expect(burst).toHaveLength(9);
        expect(burst.every((n) => n.deliveryKey !== null)).toBe(true);
      });
      // ... and whatever else the sign-offs opened (surveys) is decided too; then the period ends.
      await eventually(async () => expect(await db().caseNotice.count({ where: { applicationId: application.id, deliveryKey: null } })).toBe(0));
      await sweepHeldNotices(stack.deps, new Date(Date.now() + 2 * HOUR));

      const mails = mailsTo(parent.email).slice(mailsBefore);
      const texts = smsTo(phone).slice(smsBefore);
      expect(mails).toHaveLength(1);
      expect(texts).toHaveLength(1);
      // In English, the parent's language; what kind of thing happened, and the link; nothing else.
      expect(mails[0].subject).toBe('There is something new in your case');
      expect(mails[0].text).toContain(link());
      expect(texts[0].message).toBe(`There is something new in your case with the City of Stockholm: ${link()}`);
      for (const text of [mails[0].subject, mails[0].text, texts[0].message]) {
        expect(text).not.toMatch(/Komet|Moment|KOM-|modul/i);
      }
    } finally {
      await saveCaseTimings(db(), { noticeQuietMs: DEFAULT_CASE_TIMINGS.noticeQuietMs }, null);
    }
  });
});

describe('the notice activity, bundled per case', () => {
  it('sends the first notice after a quiet spell at once: the receipt is immediate', async () => {
    const c = await quietCase();
    await c.notice('confirmation', 'confirmation');
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
    expect(mailsTo(c.person.email)[0].subject).toBe('Vi har tagit emot din anmälan');
    expect(mailsTo(c.person.email)[0].idempotencyKey).toBe(`${c.application.workflowId}:notice-confirmation`);
  });

  it('holds a decision and an offer with its deadline that come within the quiet period, and tells both in one message when it ends', async () => {
    const c = await quietCase();
    await c.notice('confirmation', 'confirmation');
    const expiresAt = '2031-03-04T16:30:00.000Z';
    await c.notice('queued', 'queued');
    await c.notice('offered', 'offer-1', { expiresAt });
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
    // The full notices are in Mina ärenden already.
    expect(await db().caseEvent.count({ where: { applicationId: c.application.id, type: { in: ['notice.queued', 'notice.offered'] } } })).toBe(2);

    // Before the period ends the sweep leaves them; once it has, it tells both, once.
    const sent = (await db().caseNotice.findUniqueOrThrow({ where: { key: `${c.application.workflowId}:notice-confirmation` } })).decidedAt!;
    await sweepHeldNotices(stack.deps, new Date(sent.getTime() + 9 * MINUTE));
    expect(mailsTo(c.person.email)).toHaveLength(1);
    await sweepHeldNotices(stack.deps, new Date(sent.getTime() + 10 * MINUTE));
    await sweepHeldNotices(stack.deps, new Date(sent.getTime() + 11 * MINUTE));
    const mails = mailsTo(c.person.email);
    expect(mails).toHaveLength(2);
    expect(smsTo(c.phone)).toHaveLength(2);
    expect(mails[1].subject).toBe('Det finns nytt i ditt ärende hos Stockholms stad');
    // Most important first: the offer and its deadline, then the decision.
    expect(mails[1].text).toContain('- Du erbjuds en plats – svara senast tisdag 4 mars 2031 kl. 17:30\n- Det finns ett nytt besked om din anmälan');
    expect(mails[1].text).toContain(link());
    expect(smsTo(c.phone)[1].message).toBe(
      `Stockholms stad: Du erbjuds en plats – svara senast tisdag 4 mars 2031 kl. 17:30. Det finns ett nytt besked om din anmälan. Se Mina ärenden: ${link()}`,
    );
    // The delivery is keyed by the newest notice it tells, under the case's workflow id (R9.4).
    expect(mails[1].idempotencyKey).toBe(`${c.application.workflowId}:notice-offer-1`);
  });

  it('tells "something new" once per period: what was already said is not sent again, even after the period', async () => {
    const c = await quietCase();
    await c.notice('moduleOpened', 'module-2');
    for (let n = 3; n <= 10; n++) await c.notice('moduleOpened', `module-${n}`);
    await c.notice('surveysOpen', 'surveys-module-2');
    const sent = (await db().caseNotice.findUniqueOrThrow({ where: { key: `${c.application.workflowId}:notice-module-2` } })).decidedAt!;
    await sweepHeldNotices(stack.deps, new Date(sent.getTime() + HOUR));
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
    expect(await db().caseNotice.count({ where: { applicationId: c.application.id, deliveredAt: null } })).toBe(0);
  });

  it('sends the same notice once when the activity is retried', async () => {
    const c = await quietCase();
    await c.notice('admitted', 'admitted');
    await c.notice('admitted', 'admitted');
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
  });

  it('lets only one of two notices that arrive at the same moment (two workflows of one case) send', async () => {
    const c = await quietCase();
    await Promise.all([c.notice('admitted', 'admitted'), c.notice('webCourseStart', 'start'), c.notice('moduleOpened', 'module-2')]);
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
  });

  it('starts a new period when the last one has ended: the next notice goes out at once', async () => {
    const c = await quietCase();
    const first = await tellCase(stack.deps, { applicationId: c.application.id, key: `${c.application.workflowId}:notice-a`, kind: 'admitted' });
    const later = new Date(Date.now() + 11 * MINUTE);
    const second = await tellCase(stack.deps, { applicationId: c.application.id, key: `${c.application.workflowId}:notice-b`, kind: 'completed' }, later);
    expect([first, second]).toEqual(['sent', 'sent']);
    expect(mailsTo(c.person.email)).toHaveLength(2);
  });

  it('loses nothing when the delivery fails half-way: the sweep hands it over later, once', async () => {
    const c = await quietCase();
    stack.resend.loseFirstResponseTo(c.person.email);
    await expect(c.notice('admitted', 'admitted')).rejects.toThrow();
    // The provider took the e-mail but its answer was lost; the SMS never went.
    expect(smsTo(c.phone)).toHaveLength(0);
    await sweepHeldNotices(stack.deps, new Date(Date.now() + 3 * MINUTE));
    expect(mailsTo(c.person.email)).toHaveLength(1);
    expect(smsTo(c.phone)).toHaveLength(1);
    expect(await db().caseNotice.count({ where: { applicationId: c.application.id, deliveredAt: null } })).toBe(0);
  });

  it('writes in the person’s language, the admin’s edited text first, and in Swedish where the language has no text', async () => {
    const english = await quietCase('en');
    await english.notice('removed', 'removed');
    expect(mailsTo(english.person.email)[0].subject).toBe('There is a new decision on your application');
    expect(smsTo(english.phone)[0].message).toBe(`There is a new decision on your application to the City of Stockholm: ${link()}`);

    await saveTemplate(db(), 'caseDecision', 'en', { subject: 'News about your application', body: 'See {link}', sms: 'News: {link}' }, 'test');
    try {
      const edited = await quietCase('en');
      await edited.notice('admitted', 'admitted');
      expect(mailsTo(edited.person.email)[0]).toMatchObject({ subject: 'News about your application', text: `See ${link()}` });
      expect(smsTo(edited.phone)[0].message).toBe(`News: ${link()}`);
    } finally {
      await db().messageTemplate.deleteMany({ where: { key: 'caseDecision' } });
    }

    // Somali has no notice texts: Swedish, never nothing.
    const somali = await quietCase('so');
    await somali.notice('admitted', 'admitted');
    expect(mailsTo(somali.person.email)[0].subject).toBe('Det finns ett nytt besked om din anmälan');
  });

  it('names a session reminder’s time, and tells one of each reminder only', async () => {
    const c = await quietCase();
    const course = await db().course.findUniqueOrThrow({ where: { id: c.application.courseId } });
    const session = await db().courseSession.create({ data: { courseId: course.id, startsAt: new Date('2031-05-06T15:00:00Z'), endsAt: new Date('2031-05-06T17:00:00Z') } });
    await c.notice('sessionReminder', `reminder-${session.id}`, { sessionId: session.id });
    await c.notice('sessionReminder', `reminder-${session.id}-again`, { sessionId: session.id });
    const sent = (await db().caseNotice.findUniqueOrThrow({ where: { key: `${c.application.workflowId}:notice-reminder-${session.id}` } })).decidedAt!;
    await sweepHeldNotices(stack.deps, new Date(sent.getTime() + HOUR));
    expect(mailsTo(c.person.email).map((m) => m.subject)).toEqual(['Påminnelse: du har en träff tisdag 6 maj 2031 kl. 17:00']);
  });

  it('lets the inspector resend the e-mail that told of the last notice, though it was bundled under another key (R9.4)', async () => {
    const c = await quietCase();
    await c.notice('moduleOpened', 'module-2');
    await c.notice('moduleOpened', 'module-3');
    const last = await lastNotice(db(), c.application.id);
    expect(last?.event.dedupeKey).toBe(`${c.application.workflowId}:notice-module-3`);
    expect(last?.email.idempotencyKey).toBe(`${c.application.workflowId}:notice-module-2`);
    expect(last?.sms?.recipient).toBe(c.phone);
    const resent = await resendLastNotice(stack.deps, c.application.id);
    expect(resent.ok).toBe(true);
    expect(mailsTo(c.person.email)).toHaveLength(2);
  });
});
