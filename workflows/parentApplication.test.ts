// The parent's case on the real Temporal dev server and real PostgreSQL (R2.2–R2.5, R3.4).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../lib/cases/submitApplication';
import { saveCaseTimings } from '../lib/settings';
import { eventually } from '../test/support/eventually';
import { createCitizen, startStack, TEST_PERSONNUMMER, VALID_DETAILS, type TestStack } from '../test/support/stack';
import { decideUpdate, parentApplicationWorkflowId, statusQuery } from './parentApplication.messages';
import { CaseStatusKey, CourseKey, WaitingForKey, WaitingSinceKey } from './searchAttributes';
import { moveToQueueUpdate } from './case.messages';
import * as caseCommands from '../lib/commands/case';
import { recordHistory } from '../test/support/histories';
import { decisionEvent, noticeEvent, SUBMITTED_EVENT } from '../rules/caseEvents';

let stack: TestStack;
let pnrIndex = 0;

beforeAll(async () => {
  stack = await startStack();
  // Every notice told at once: these tests count e-mails per step (bundling has its own test).
  await saveCaseTimings(stack.deps.db, { noticeQuietMs: 0 }, null);
});
afterAll(async () => {
  await stack?.stop();
});

async function courseIn(district: string, title = 'Komet för föräldrar till barn 3–11 år') {
  return stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: district }, title } });
}

async function leaderId() {
  const p = await stack.deps.db.person.findUniqueOrThrow({ where: { email: 'gruppledare.sodermalm@komet.example' } });
  return p.id;
}

async function apply(courseId: string, person?: { id: string; email: string }) {
  person ??= await createCitizen(stack.deps);
  const idempotencyKey = randomUUID();
  const result = await submitApplication(
    { db: stack.deps.db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
    {
      personId: person.id,
      courseId,
      details: { ...VALID_DETAILS, personnummer: TEST_PERSONNUMMER[pnrIndex++] },
      idempotencyKey,
      actor: person.id,
    },
  );
  if (!result.ok) throw new Error(result.code);
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(result.caseNumber));
  await eventually(async () => expect((await handle.query(statusQuery)).noticesSent).toContain('confirmation'));
  return { person, caseNumber: result.caseNumber, handle };
}

describe('parentApplication workflow', () => {
  it('admit path: the leader admits, the parent gets every session in Mina ärenden and a short e-mail', async () => {
    const course = await courseIn('sodermalm');
    const { person, caseNumber, handle } = await apply(course.id);
    expect(caseNumber).toMatch(/^KOM-\d{4}-\d{6}$/);

    const result = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: await leaderId() }] });
    expect(result).toEqual({ ok: true, status: 'admitted', queuePosition: null });

    await eventually(async () => expect((await handle.query(statusQuery)).noticesSent).toContain('admitted'));
    // Told, the case goes on to wait for the first session.
    const state = await eventually(async () => {
      const s = await handle.query(statusQuery);
      expect(s.waitingFor).toBe('nextSession');
      return s;
    });
    await recordHistory(handle, 'parentApplication-admitted');
    expect(state.status).toBe('admitted');
    expect((await handle.describe()).typedSearchAttributes.get(CaseStatusKey)).toBe('admitted');

    const app = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber }, include: { events: true } });
    expect(app.status).toBe('admitted');
    const notice = app.events.find((e) => e.type === 'notice.admitted');
    expect((notice?.data as { sessions: unknown[] }).sessions).toHaveLength(10);
    expect(app.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([SUBMITTED_EVENT, noticeEvent('confirmation'), decisionEvent('admitted'), noticeEvent('admitted')]),
    );

    const mails = stack.resend.delivered.filter((m) => m.to.includes(person.email));
    expect(mails).toHaveLength(2); // confirmation + admission
    for (const mail of mails) {
      expect(mail.text).toContain('/mina-arenden');
      expect(mail.text).not.toMatch(/Komet|KOM-|Götgatan/); // no case details travel by e-mail
    }
  });

  it('queue path: a full course refuses admission, the queued parent gets position and nearest district', async () => {
    const course = await courseIn('rinkeby-kista');
    await stack.deps.db.course.update({ where: { id: course.id }, data: { capacity: 1 } });
    const first = await apply(course.id);
    const second = await apply(course.id);
    const actorId = await leaderId();

    expect(await first.handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId }] })).toMatchObject({ ok: true });
    expect(await second.handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId }] })).toEqual({
      ok: false,
      code: 'course-full',
    });
    const queued = await second.handle.executeUpdate(decideUpdate, { args: [{ decision: 'queue', actorId }] });
    expect(queued).toEqual({ ok: true, status: 'queued', queuePosition: 1 });

    await eventually(async () => expect((await second.handle.query(statusQuery)).noticesSent).toContain('queued'));
    await recordHistory(second.handle, 'parentApplication-full-then-queued');
    const event = await stack.deps.db.caseEvent.findFirstOrThrow({
      where: { application: { caseNumber: second.caseNumber }, type: 'notice.queued' },
    });
    expect(event.data).toMatchObject({ queuePosition: 1, nearestDistrict: { slug: 'sodermalm' } });
    expect((await second.handle.query(statusQuery)).waitingFor).toBe('decision');
  });

  it('a supervisor moves an admitted case back to the queue: its seat goes to the next in the queue, and visibility shows where each waits', async () => {
    const course = await courseIn('sodermalm', 'Komet på engelska');
    await stack.deps.db.course.update({ where: { id: course.id }, data: { capacity: 1 } });
    const first = await apply(course.id);
    const second = await apply(course.id);
    const actorId = await leaderId();
    const central = await stack.deps.db.person.findUniqueOrThrow({ where: { email: 'central@komet.example' } });
    await first.handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId }] });
    await second.handle.executeUpdate(decideUpdate, { args: [{ decision: 'queue', actorId }] });
    await eventually(async () => {
      const attrs = (await first.handle.describe()).typedSearchAttributes;
      expect(attrs.get(WaitingForKey)).toBe('nextSession');
      expect(attrs.get(CourseKey)).toBe(course.id);
      expect(attrs.get(WaitingSinceKey)).toBeInstanceOf(Date);
    });

    const moved = await first.handle.executeUpdate(moveToQueueUpdate, { args: [{ actorId: central.id }] });
    expect(moved).toMatchObject({ ok: true, status: 'queued' });
    // The freed seat is offered to the one who waited, not back to the moved case.
    await eventually(async () => expect((await second.handle.query(statusQuery)).status).toBe('offered'));
    await eventually(async () => {
      const state = await first.handle.query(statusQuery);
      expect(state).toMatchObject({ status: 'queued', waitingFor: 'decision' });
      expect(state.noticesSent.at(-1)).toBe('queued');
      const attrs = (await first.handle.describe()).typedSearchAttributes;
      expect(attrs.get(CaseStatusKey)).toBe('queued');
      expect(attrs.get(WaitingForKey)).toBe('decision');
    });
    await recordHistory(first.handle, 'parentApplication-movedToQueue');
    const event = await stack.deps.db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber: first.caseNumber }, type: 'case.movedToQueue' } });
    expect(event.actor).toBe(central.id);
    expect(await caseCommands.moveToQueue(stack.deps.temporal, first.handle.workflowId, { actorId: central.id })).toEqual({ ok: false, code: 'not-movable' });
  });

  it('duplicate start: the same submission twice yields one case and one workflow', async () => {
    const course = await courseIn('sodermalm', 'Komet på engelska');
    const person = await createCitizen(stack.deps);
    const key = randomUUID();
    const submit = () =>
      submitApplication(
        { db: stack.deps.db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
        { personId: person.id, courseId: course.id, details: { ...VALID_DETAILS, personnummer: TEST_PERSONNUMMER[pnrIndex++] }, idempotencyKey: key, actor: person.id },
      );
    const [a, b] = await Promise.all([submit(), submit()]);
    const c = await submit();
    expect(a.ok && b.ok && c.ok).toBe(true);
    const numbers = new Set([a, b, c].map((r) => (r.ok ? r.caseNumber : '')));
    expect(numbers.size).toBe(1);
    expect(await stack.deps.db.application.count({ where: { personId: person.id } })).toBe(1);
    const [caseNumber] = [...numbers];
    await eventually(async () => {
      const list = [];
      for await (const wf of stack.deps.temporal.workflow.list({ query: `WorkflowId = '${parentApplicationWorkflowId(caseNumber)}'` })) list.push(wf);
      expect(list).toHaveLength(1);
    });
  });

  it('a retried notice activity sends one e-mail (the provider lost its first answer)', async () => {
    const course = await courseIn('rinkeby-kista', 'Komet på arabiska');
    const citizen = await createCitizen(stack.deps);
    stack.resend.loseFirstResponseTo(citizen.email);
    const before = stack.resend.requests.length;
    const { person, caseNumber } = await apply(course.id, citizen);

    const toParent = stack.resend.delivered.filter((m) => m.to.includes(person.email));
    expect(toParent).toHaveLength(1);
    const attempts = stack.resend.requests.slice(before).filter((r) => r.idempotencyKey === toParent[0].idempotencyKey);
    expect(attempts.length).toBeGreaterThanOrEqual(2); // the activity was retried …
    const log = await stack.deps.db.notification.findMany({ where: { recipient: person.email } });
    expect(log).toHaveLength(1); // … and logged once, as sent
    expect(log[0].status).toBe('sent');
    expect(log[0].idempotencyKey).toBe(`${parentApplicationWorkflowId(caseNumber)}:notice-confirmation`);
  });
});
