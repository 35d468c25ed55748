// The whole course on the real Temporal dev server and real PostgreSQL (R2.5–R2.9, R4, R5):
// the queue that moves by itself, offers with a deadline, reminders, surveys after sessions,
// completion, and the web course's module-by-module guidance. Timings come from the settings,
// in seconds, so nothing here sleeps: tests wait for results with `eventually`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCourse } from '../lib/courses/openCourse';
import { submitApplication } from '../lib/cases/submitApplication';
import { saveCaseTimings } from '../lib/settings';
import type { SurveyKind } from '../lib/surveys/invitations';
import { eventually } from '../test/support/eventually';
import { nextPersonnummer } from '../test/support/personnummer';
import { createCitizen, startStack, VALID_DETAILS, type TestStack } from '../test/support/stack';
import {
  answerOfferUpdate,
  decideUpdate,
  parentApplicationWorkflowId,
  scheduleChangedSignal,
  statusQuery,
  surveyAnsweredSignal,
} from './parentApplication.messages';
import { withdrawUpdate } from './case.messages';
import * as guidanceCommands from '../lib/commands/webCourseGuidance';
import * as parentCommands from '../lib/commands/parentApplication';
import { recordHistory } from '../test/support/histories';
import { guidanceStatusQuery, parentActiveSignal, webCourseGuidanceWorkflowId } from './webCourseGuidance.messages';
import { untilWaitingFor } from '../test/support/parentApplies';

let stack: TestStack;
let staffId: string;

beforeAll(async () => {
  stack = await startStack();
  await saveCaseTimings(
    stack.deps.db,
    // Seconds instead of days; every notice told at once (bundling has its own test).
    { reminderLeadMs: 2_000, offerTtlMs: 3_000, surveyReminderMs: 2_000, completionWindowMs: 3_000, inactivityMs: 2_500, noticeQuietMs: 0 },
    null,
  );
  await ensureSurveys(['sessionEvaluation', 'progress', 'courseEvaluation', 'preMeasurement', 'postMeasurement', 'childBehaviour']);
  staffId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: 'admin@komet.example' } })).id;
});
afterAll(async () => stack?.stop());

/** The demo data seeds the surveys; a bare definition stands in if a kind is missing. */
async function ensureSurveys(kinds: SurveyKind[]) {
  for (const kind of kinds) {
    if (await stack.deps.db.surveyDefinition.findFirst({ where: { kind } })) continue;
    await stack.deps.db.surveyDefinition.create({
      data: { kind, version: 1, title: kind, questions: [{ id: 'q1', type: 'scale', text: 'Hur var det?', required: true }] },
    });
  }
}

const seconds = (n: number) => new Date(Date.now() + n * 1000);

/** A course of its own in a district of its own, so queues of different tests never meet. */
async function groupCourse(district: string, capacity: number, sessions: [number, number][] = [[3600, 7200]], status: 'open' | 'draft' = 'open') {
  const d = await stack.deps.db.district.findUniqueOrThrow({ where: { slug: district } });
  return stack.deps.db.course.create({
    data: {
      kind: 'groupCourse',
      title: `Testkurs ${randomUUID().slice(0, 6)}`,
      districtId: d.id,
      capacity,
      status,
      sessions: { create: sessions.map(([from, to]) => ({ startsAt: seconds(from), endsAt: seconds(to) })) },
    },
    include: { sessions: { orderBy: { startsAt: 'asc' } } },
  });
}

async function apply(courseId: string) {
  const person = await createCitizen(stack.deps);
  const result = await submitApplication(
    { db: stack.deps.db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
    { personId: person.id, courseId, details: { ...VALID_DETAILS, personnummer: nextPersonnummer() }, idempotencyKey: randomUUID(), actor: person.id },
  );
  if (!result.ok) throw new Error(result.code);
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(result.caseNumber));
  await untilWaitingFor(handle, 'decision');
  return { person, caseNumber: result.caseNumber, handle };
}

async function admitted(courseId: string) {
  const c = await apply(courseId);
  expect(await c.handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: staffId }] })).toMatchObject({ ok: true, status: 'admitted' });
  return c;
}

async function queued(courseId: string) {
  const c = await apply(courseId);
  expect(await c.handle.executeUpdate(decideUpdate, { args: [{ decision: 'queue', actorId: staffId }] })).toMatchObject({ ok: true, status: 'queued' });
  return c;
}

const statusOf = async (caseNumber: string) => (await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status;
const eventTypes = async (caseNumber: string) =>
  (await stack.deps.db.caseEvent.findMany({ where: { application: { caseNumber } }, orderBy: { createdAt: 'asc' } })).map((e) => e.type);

describe('the queue that moves by itself', () => {
  it('a withdrawal offers the freed seat to the first in the queue, who accepts it', async () => {
    const course = await groupCourse('bromma', 1);
    const leaving = await admitted(course.id);
    const first = await queued(course.id);
    const second = await queued(course.id);

    expect(await leaving.handle.executeUpdate(withdrawUpdate, { args: [{ actorId: leaving.person.id, byStaff: false }] })).toEqual({ ok: true });

    await eventually(async () => expect((await first.handle.query(statusQuery)).status).toBe('offered'));
    expect(await statusOf(second.caseNumber)).toBe('queued');
    await eventually(async () => expect(await eventTypes(first.caseNumber)).toContain('notice.offered'));
    await eventually(async () => expect(await eventTypes(leaving.caseNumber)).toEqual(expect.arrayContaining(['case.withdrawn', 'notice.withdrawn'])));
    await eventually(async () => expect(await statusOf(leaving.caseNumber)).toBe('withdrawn'));
    await eventually(async () => expect((await leaving.handle.describe()).status.name).toBe('COMPLETED'));

    expect(await first.handle.executeUpdate(answerOfferUpdate, { args: [{ accept: true, actorId: first.person.id }] })).toEqual({ ok: true, status: 'admitted' });
    expect(await statusOf(first.caseNumber)).toBe('admitted');
    await eventually(async () => expect(await eventTypes(first.caseNumber)).toContain('notice.admitted'));
    await recordHistory(first.handle, 'parentApplication-offerAccepted');
  });

  it('an offer not answered before its deadline passes the seat on to the next in the queue', async () => {
    const course = await groupCourse('farsta', 1);
    const leaving = await admitted(course.id);
    const silent = await queued(course.id);
    const next = await queued(course.id);

    await leaving.handle.executeUpdate(withdrawUpdate, { args: [{ actorId: staffId, byStaff: true }] });
    await eventually(async () => expect(await statusOf(silent.caseNumber)).toBe('offered'));

    // No answer: the durable timer expires the offer and the next parent is offered the seat.
    await eventually(async () => expect(await statusOf(next.caseNumber)).toBe('offered'), 15_000);
    expect(await statusOf(silent.caseNumber)).toBe('queued');
    expect(await eventTypes(silent.caseNumber)).toEqual(expect.arrayContaining(['offer.expired', 'notice.offerExpired']));
    expect(await eventTypes(leaving.caseNumber)).toContain('case.removed');
    // A late yes finds nothing to accept.
    // The validator refuses it: nothing enters the case's history.
    expect(await parentCommands.answerOffer(stack.deps.temporal, silent.handle.workflowId, { accept: true, actorId: silent.person.id })).toEqual({ ok: false, code: 'no-offer' });
  });

  it('a course that opens offers its seats to the queued parents in queue order', async () => {
    const full = await groupCourse('kungsholmen', 1);
    await admitted(full.id);
    const first = await queued(full.id);
    const second = await queued(full.id);
    const third = await queued(full.id);
    const opening = await groupCourse('kungsholmen', 2, [[3600, 7200]], 'draft');

    await openCourse(stack.deps, opening.id);

    await eventually(async () => expect(await statusOf(second.caseNumber)).toBe('offered'));
    expect(await statusOf(first.caseNumber)).toBe('offered');
    expect(await statusOf(third.caseNumber)).toBe('queued');
    const offers = await stack.deps.db.seatOffer.findMany({ where: { courseId: opening.id } });
    expect(offers).toHaveLength(2);
  });
});

describe('sessions, surveys and completion', () => {
  it('reminds before each session, opens the surveys when it ends, reminds once, and completes on the final evaluation', async () => {
    const course = await groupCourse('skarpnack', 5, [
      [8, 10],
      [12, 13],
    ]);
    const parent = await admitted(course.id);
    const [s1, s2] = course.sessions;

    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.sessionReminder'), 15_000);
    const reminder = await eventually(() =>
      stack.deps.db.notification.findFirstOrThrow({ where: { idempotencyKey: { contains: 'notice-reminder:' }, channel: 'email' } }),
    );
    expect(reminder.body).toContain('träff');
    expect(reminder.body).not.toMatch(/komet|testkurs/i); // the time and a link, nothing that reveals the programme

    // The surveys open when the session ends, not before.
    await eventually(async () => {
      const invitations = await stack.deps.db.surveyInvitation.findMany({ where: { application: { caseNumber: parent.caseNumber }, sessionId: s1.id } });
      expect(invitations.map((i) => i.surveyId)).toHaveLength(2);
    }, 15_000);
    const s1Ended = Date.now() >= s1.endsAt.getTime();
    expect(s1Ended).toBe(true);
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.surveyReminder'), 15_000);

    // After the last session: the final evaluation; answering it completes the case.
    await eventually(async () => expect((await parent.handle.query(statusQuery)).waitingFor).toBe('finalEvaluation'), 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(s2.endsAt.getTime());
    const final = await eventually(() =>
      stack.deps.db.surveyInvitation.findFirstOrThrow({
        where: { application: { caseNumber: parent.caseNumber }, survey: { kind: 'courseEvaluation' } },
      }),
    );
    await stack.deps.db.surveyInvitation.update({ where: { id: final.id }, data: { used: true } });
    await parent.handle.signal(surveyAnsweredSignal, { kind: 'courseEvaluation' });

    await eventually(async () => expect(await statusOf(parent.caseNumber)).toBe('completed'));
    await eventually(async () => expect((await parent.handle.describe()).status.name).toBe('COMPLETED'));
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toEqual(expect.arrayContaining(['case.completed', 'notice.completed'])));
    await recordHistory(parent.handle, 'parentApplication-completed');
  });

  it('closes the case as not completed when the final evaluation stays unanswered', async () => {
    const course = await groupCourse('hagersten-alvsjo', 5, [[1, 2]]);
    const parent = await admitted(course.id);
    await eventually(async () => expect(await statusOf(parent.caseNumber)).toBe('notCompleted'), 20_000);
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.notCompleted'));
  });

  it('a parent the leader marked absent gets no survey for that session', async () => {
    const course = await groupCourse('skarholmen', 5, [[3, 4], [3600, 7200]]);
    const parent = await admitted(course.id);
    const app = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
    await stack.deps.db.attendance.create({ data: { sessionId: course.sessions[0].id, applicationId: app.id, present: false, markedById: staffId } });
    await eventually(async () => expect((await parent.handle.query(statusQuery)).done).toContain(`surveys:${course.sessions[0].id}`), 15_000);
    expect(await stack.deps.db.surveyInvitation.count({ where: { applicationId: app.id } })).toBe(0);
  });

  it('a moved session tells the parent and re-plans its reminder', async () => {
    const course = await groupCourse('ostermalm', 5, [[3600, 7200]]);
    const parent = await admitted(course.id);
    const session = course.sessions[0];
    await stack.deps.db.courseSession.update({ where: { id: session.id }, data: { startsAt: seconds(4), endsAt: seconds(3600) } });
    await parent.handle.signal(scheduleChangedSignal, { sessionId: session.id });
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.scheduleChanged'));
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.sessionReminder'), 15_000);
  });
});

describe('the web course with a guide', () => {
  it('guides module by module: sign-off opens the next module at once, quiet parents are reminded, the end opens the post-measurement', async () => {
    const db = stack.deps.db;
    const course = await db.course.create({
      data: {
        kind: 'webCourse',
        title: 'Webbkurs (test)',
        capacity: 10,
        modules: { create: [1, 2, 3].map((number) => ({ number, title: `Moment ${number}`, body: 'Text' })) },
      },
    });
    const guide = await db.person.create({ data: { email: `guide-${randomUUID().slice(0, 6)}@komet.example`, name: 'Guide' } });
    await db.roleGrant.create({ data: { personId: guide.id, role: 'guide', courseId: course.id } });
    const parent = await admitted(course.id);
    const guidance = stack.deps.temporal.workflow.getHandle(webCourseGuidanceWorkflowId(parent.caseNumber));

    await eventually(async () => expect((await guidance.query(guidanceStatusQuery)).phase).toBe('modules'));
    const app = await db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
    expect(app.guideId).toBe(guide.id);
    expect(app.currentModule).toBe(1);
    const startSurveys = await db.surveyInvitation.findMany({ where: { applicationId: app.id }, include: { survey: true } });
    expect(startSurveys.map((i) => i.survey.kind).sort()).toEqual(['childBehaviour', 'preMeasurement']);

    // Quiet for longer than the inactivity time: one reminder.
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toContain('notice.inactivityReminder'), 15_000);
    await guidance.signal(parentActiveSignal);

    const signOff = (moduleNumber: number) => guidanceCommands.signOff(stack.deps.temporal, parent.caseNumber, { moduleNumber, guideId: guide.id });
    const diaryNote = (moduleNumber: number) =>
      db.diaryNote.create({ data: { applicationId: app.id, moduleNumber, authorId: app.personId, body: `Anteckning om moment ${moduleNumber}` } });
    expect(await signOff(2)).toEqual({ ok: false, code: 'not-current-module' });
    // No diary note for the module yet: refused, nothing changes (R5.3, R5.4).
    expect(await signOff(1)).toEqual({ ok: false, code: 'no-diary' });
    expect((await db.application.findUniqueOrThrow({ where: { id: app.id } })).currentModule).toBe(1);
    await diaryNote(1);
    expect(await signOff(1)).toEqual({ ok: true, currentModule: 2, finished: false });
    expect((await db.application.findUniqueOrThrow({ where: { id: app.id } })).currentModule).toBe(2); // at once
    await eventually(async () => expect(await eventTypes(parent.caseNumber)).toEqual(expect.arrayContaining(['module.signedOff', 'notice.moduleOpened'])));
    await eventually(async () => expect(await db.surveyInvitation.count({ where: { applicationId: app.id, moduleNumber: 1 } })).toBe(2));

    await diaryNote(2);
    await diaryNote(3);
    expect(await signOff(2)).toMatchObject({ ok: true });
    expect(await signOff(3)).toEqual({ ok: true, currentModule: 4, finished: true });
    await eventually(async () => expect((await guidance.describe()).status.name).toBe('COMPLETED'));
    await recordHistory(guidance, 'webCourseGuidance-finished');

    // The case goes on to the post-measurement and the course evaluation.
    await untilWaitingFor(parent.handle, 'finalEvaluation');
    await eventually(async () => {
      const finalKinds = await db.surveyInvitation.findMany({ where: { applicationId: app.id, dedupeKey: { contains: ':final:' } }, include: { survey: true } });
      expect(finalKinds.map((i) => i.survey.kind).sort()).toEqual(['courseEvaluation', 'postMeasurement']);
    });
  });
});
