// Every case workflow starts its history afresh when it grows long, keeping its state, and goes on
// with its process in the new run (issue 13 point 6). A low history limit makes it happen here;
// in production it is the server's suggestion. Each test also records the new run's history for
// the replay test (RECORD_HISTORIES=1).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as caseCommands from '../lib/commands/case';
import * as enrolmentCommands from '../lib/commands/professionalEnrolment';
import * as guidanceCommands from '../lib/commands/webCourseGuidance';
import * as parentCommands from '../lib/commands/parentApplication';
import { eventually } from '../test/support/eventually';
import { recordHistory } from '../test/support/histories';
import { startStack, type TestStack } from '../test/support/stack';
import { PARENT_APPLICATION, parentApplicationWorkflowId, statusQuery } from './parentApplication.messages';
import { enrolmentStatusQuery, PROFESSIONAL_ENROLMENT, professionalEnrolmentWorkflowId } from './professionalEnrolment.messages';
import { guidanceStatusQuery, WEB_COURSE_GUIDANCE, webCourseGuidanceWorkflowId } from './webCourseGuidance.messages';
import { untilWaitingFor } from '../test/support/parentApplies';

let stack: TestStack;
let actorId: string;
let serial = 0;

beforeAll(async () => {
  stack = await startStack();
  actorId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: 'admin@komet.example' } })).id;
});
afterAll(async () => stack?.stop());

const db = () => stack.deps.db;
const start = (type: string, workflowId: string, args: unknown) =>
  stack.deps.temporal.workflow.start(type, { workflowId, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE, args: [args] });

/** The workflow's runs so far (a continued case has more than one). */
async function runsOf(workflowId: string): Promise<number> {
  let runs = 0;
  for await (const _ of stack.deps.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs += 1;
  return runs;
}

async function caseRow(kind: 'groupCourse' | 'webCourse' | 'training', courseId: string, status: 'submitted' | 'awaitingConsent' | 'admitted', answers: object = {}) {
  const person = await db().person.create({ data: { email: `can-${randomUUID().slice(0, 8)}@example.org`, name: 'Fortsatt Fortsättning' } });
  const caseNumber = `KOM-2026-8${String(++serial).padStart(5, '0')}`;
  const workflowId =
    kind === 'training' ? professionalEnrolmentWorkflowId(caseNumber) : kind === 'webCourse' ? webCourseGuidanceWorkflowId(caseNumber) : parentApplicationWorkflowId(caseNumber);
  const app = await db().application.create({
    data: { caseNumber, kind, personId: person.id, courseId, status, answers, idempotencyKey: randomUUID(), workflowId },
  });
  return { app, caseNumber, workflowId };
}

describe('continue as new', () => {
  it('a parent’s case continues with its state: admitted, its notices told once, and it can still be withdrawn', async () => {
    const course = await db().course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, kind: 'groupCourse' } });
    const { app, caseNumber, workflowId } = await caseRow('groupCourse', course.id, 'submitted');
    await start(PARENT_APPLICATION, workflowId, { caseNumber, applicationId: app.id, courseId: course.id, districtSlug: 'sodermalm', kind: 'groupCourse', historyLimit: 25 });
    await untilWaitingFor(stack.deps.temporal.workflow.getHandle(workflowId), 'decision');
    expect(await parentCommands.decide(stack.deps.temporal, workflowId, { decision: 'admit', actorId })).toMatchObject({ ok: true, status: 'admitted' });
    await eventually(async () => expect(await runsOf(workflowId)).toBeGreaterThan(1), 20_000);

    const state = await stack.deps.temporal.workflow.getHandle(workflowId).query(statusQuery);
    expect(state).toMatchObject({ status: 'admitted', caseNumber });
    expect(state.noticesSent).toEqual(expect.arrayContaining(['confirmation', 'admitted']));
    // Each notice told once across the runs: its case event is keyed by step, never written again.
    for (const type of ['notice.confirmation', 'notice.admitted']) expect(await db().caseEvent.count({ where: { applicationId: app.id, type } })).toBe(1);
    expect(await caseCommands.withdraw(stack.deps.temporal, workflowId, { actorId: app.personId, byStaff: false })).toEqual({ ok: true });
    await eventually(async () => expect((await stack.deps.temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('COMPLETED'));
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe('withdrawn');
    await recordHistory(stack.deps.temporal.workflow.getHandle(workflowId), 'parentApplication-continuedAsNew-withdrawn');
  });

  it('a professional’s enrolment continues with its state and goes on to "Godkänd" and the certificate', async () => {
    const training = await db().course.create({
      data: {
        kind: 'training',
        title: `Komet gruppledarutbildning (fortsätter) ${randomUUID().slice(0, 4)}`,
        capacity: 5,
        sessions: { create: [{ startsAt: new Date(Date.now() + 7 * 86_400_000), endsAt: new Date(Date.now() + 7 * 86_400_000 + 3 * 3_600_000) }] },
      },
      include: { sessions: true },
    });
    const { app, caseNumber, workflowId } = await caseRow('training', training.id, 'awaitingConsent', { managerEmail: `chef-${serial}@example.org`, workplace: 'Förskolan Solen' });
    await start(PROFESSIONAL_ENROLMENT, workflowId, { caseNumber, applicationId: app.id, courseId: training.id, historyLimit: 25 });
    const request = await eventually(() => db().consentRequest.findUniqueOrThrow({ where: { applicationId: app.id } }));
    expect(await enrolmentCommands.managerDecision(stack.deps.temporal, workflowId, { consentRequestId: request.id, decision: 'approved' })).toMatchObject({ ok: true });
    const group = await db().supervisionGroup.create({ data: { courseId: training.id, name: 'Grupp A' } });
    expect(await enrolmentCommands.instructorDecision(stack.deps.temporal, workflowId, { decision: 'admit', groupId: group.id, actorId })).toMatchObject({ ok: true, status: 'admitted' });
    await eventually(async () => expect(await runsOf(workflowId)).toBeGreaterThan(1), 20_000);
    expect(await stack.deps.temporal.workflow.getHandle(workflowId).query(enrolmentStatusQuery)).toMatchObject({ status: 'admitted', caseNumber });

    // The training took place; the new run takes the approval and the certificate.
    await db().courseSession.update({ where: { id: training.sessions[0].id }, data: { startsAt: new Date(Date.now() - 4 * 3_600_000), endsAt: new Date(Date.now() - 3_600_000) } });
    await db().attendance.create({ data: { sessionId: training.sessions[0].id, applicationId: app.id, present: true, markedById: actorId } });
    expect(await enrolmentCommands.markApproved(stack.deps.temporal, workflowId, { approved: true, actorId })).toEqual({ ok: true, approved: true });
    expect(await enrolmentCommands.issueCertificate(stack.deps.temporal, workflowId, { actorId })).toMatchObject({ ok: true });
    await eventually(async () => expect((await stack.deps.temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('COMPLETED'));
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe('completed');
    await recordHistory(stack.deps.temporal.workflow.getHandle(workflowId), 'professionalEnrolment-continuedAsNew-certified');
  });

  it('a web-course guidance continues with its modules, and a sign-off still needs the diary note', async () => {
    const course = await db().course.create({
      data: { kind: 'webCourse', title: `Webbkurs (fortsätter) ${randomUUID().slice(0, 4)}`, capacity: 10, modules: { create: [1, 2, 3, 4].map((number) => ({ number, title: `Moment ${number}`, body: 'Text' })) } },
    });
    const { app, caseNumber } = await caseRow('webCourse', course.id, 'admitted');
    const workflowId = webCourseGuidanceWorkflowId(caseNumber);
    await start(WEB_COURSE_GUIDANCE, workflowId, { caseNumber, applicationId: app.id, courseId: course.id, parentWorkflowId: `${PARENT_APPLICATION}-${caseNumber}`, historyLimit: 30 });
    const handle = stack.deps.temporal.workflow.getHandle(workflowId);
    await eventually(async () => expect((await handle.query(guidanceStatusQuery)).phase).toBe('modules'));
    const signOff = (moduleNumber: number) => guidanceCommands.signOff(stack.deps.temporal, caseNumber, { moduleNumber, guideId: actorId });
    for (const moduleNumber of [1, 2, 3]) {
      expect(await signOff(moduleNumber)).toEqual({ ok: false, code: 'no-diary' });
      await db().diaryNote.create({ data: { applicationId: app.id, moduleNumber, authorId: app.personId, body: `Moment ${moduleNumber}` } });
      expect(await signOff(moduleNumber)).toMatchObject({ ok: true, currentModule: moduleNumber + 1 });
    }
    await eventually(async () => expect(await runsOf(workflowId)).toBeGreaterThan(1), 20_000);
    expect(await handle.query(guidanceStatusQuery)).toMatchObject({ phase: 'modules', currentModule: 4, signedOff: [1, 2, 3] });
    await db().diaryNote.create({ data: { applicationId: app.id, moduleNumber: 4, authorId: app.personId, body: 'Moment 4' } });
    expect(await signOff(4)).toEqual({ ok: true, currentModule: 5, finished: true });
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    await recordHistory(handle, 'webCourseGuidance-continuedAsNew-finished');
  });
});
