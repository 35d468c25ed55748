// Moving one case's deadline while it runs (issue 13 point 5, feature table row 64): the offer's
// answer deadline, the manager's consent deadline and an invoice's due date, with a reason, through
// the workflow's validated update; the running timer moves, the person is told, the change audited.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { formatDateTime, formatTime, stockholmDateString } from '../../lib/time';
import { createApp } from '../../web/app';
import * as parentCommands from '../../lib/commands/parentApplication';
import { statusQuery } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';
import { parentApplies as sharedParentApplies, untilWaitingFor } from '../support/parentApplies';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
let adminId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
  adminId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } })).id;
});
afterAll(async () => stack?.stop());

const db = () => stack.deps.db;
const statusOf = async (caseNumber: string) => (await db().application.findUniqueOrThrow({ where: { caseNumber } })).status;
const form = (at: Date, reason = 'Föräldern är bortrest och har bett om mer tid.') => ({
  choice: 'offerAnswer',
  date: stockholmDateString(at),
  time: formatTime(at, 'sv'),
  reason,
});

const parentApplies = (courseId: string) => sharedParentApplies(stack, app, courseId);

/**
 * A parent offered a freed seat: one seat, the first admitted then withdrawn, the second queued. Each
 * in a district of its own, since the queue is per district and kind (R2.5).
 */
async function offeredParent() {
  const slug = `test-${randomUUID().slice(0, 8)}`;
  const d = await db().district.create({ data: { slug, name: `Stadsdel ${slug}`, latitude: 59.33, longitude: 18.06 } });
  const course = await db().course.create({
    data: {
      kind: 'groupCourse',
      title: `Kvällsgrupp ${randomUUID().slice(0, 4)}`,
      districtId: d.id,
      capacity: 1,
      sessions: { create: [{ startsAt: new Date(Date.now() + 7 * 86_400_000), endsAt: new Date(Date.now() + 7 * 86_400_000 + 7_200_000) }] },
    },
  });
  const first = await parentApplies(course.id);
  const second = await parentApplies(course.id);
  await parentCommands.decide(stack.deps.temporal, first.workflowId, { decision: 'admit', actorId: adminId });
  await parentCommands.decide(stack.deps.temporal, second.workflowId, { decision: 'queue', actorId: adminId });
  expect((await first.client.post(`/mina-arenden/${first.caseNumber}/aterta`, {})).status).toBe(303);
  await eventually(async () => expect(await statusOf(second.caseNumber)).toBe('offered'));
  // The row says offered as soon as the offer is made; the workflow waits for the answer a moment later.
  await untilWaitingFor(second.handle, 'offerAnswer');
  return second;
}

const offerOf = (caseNumber: string) => db().seatOffer.findFirstOrThrow({ where: { application: { caseNumber }, status: 'pending' } });

describe('moving an offer’s answer deadline', () => {
  it('extends it with a reason: the offer, the workflow and its timer follow, the parent is told, the change is audited', async () => {
    const parent = await offeredParent();
    const before = await offerOf(parent.caseNumber);
    const page = await (await admin.get(`/personal/ansokningar/${parent.caseNumber}`)).text();
    expect(page).toContain(`href="/personal/ansokningar/${parent.caseNumber}/tidsfrist"`);
    expect(await (await admin.get(`/personal/ansokningar/${parent.caseNumber}/tidsfrist`)).text()).toContain('Svar på erbjuden plats');

    const later = new Date(Math.ceil((before.expiresAt.getTime() + 2 * 86_400_000) / 60_000) * 60_000);
    const res = await admin.post(`/personal/ansokningar/${parent.caseNumber}/tidsfrist`, form(later));
    expect(res.status).toBe(303);
    expect((await offerOf(parent.caseNumber)).expiresAt.toISOString()).toBe(later.toISOString());
    expect((await stack.deps.temporal.workflow.getHandle(parent.workflowId).query(statusQuery)).offer?.expiresAt).toBe(later.toISOString());
    const event = await db().caseEvent.findFirstOrThrow({ where: { application: { caseNumber: parent.caseNumber }, type: 'deadline.changed' } });
    expect(event).toMatchObject({ actor: adminId, data: { kind: 'offerAnswer', deadline: later.toISOString() } });
    const audit = await db().auditEntry.findFirstOrThrow({ where: { caseNumber: parent.caseNumber, action: 'caseAction' } });
    expect(audit.reason).toContain('Föräldern är bortrest');
    await eventually(async () =>
      expect(await db().caseEvent.count({ where: { application: { caseNumber: parent.caseNumber }, type: 'notice.deadlineChanged' } })).toBe(1),
    );
    // The parent sees the new date.
    const status = await (await parent.client.get(`/mina-arenden/${parent.caseNumber}/status`)).text();
    expect(status).toContain(`Svara senast ${formatDateTime(later, 'sv')}`);
    // The parent answers within the new time; the history (with the change) is kept for the replay test.
    expect((await parent.client.post(`/mina-arenden/${parent.caseNumber}/erbjudande`, { answer: 'accept' })).status).toBe(303);
    await eventually(async () => expect(await statusOf(parent.caseNumber)).toBe('admitted'));
    await recordHistory(stack.deps.temporal.workflow.getHandle(parent.workflowId), 'parentApplication-deadlineChanged-accepted');
  });

  it('shortened to moments ahead, the running timer fires at the new time: the offer lapses and the seat passes on', async () => {
    const parent = await offeredParent();
    // Minutes are the form's finest step; the workflow's update is the same one the form sends.
    const soon = new Date(Date.now() + 20_000).toISOString();
    const { changeDeadline } = await import('../../lib/commands/case');
    expect(await changeDeadline(stack.deps.temporal, parent.workflowId, { kind: 'offerAnswer', deadline: soon, actorId: adminId })).toEqual({ ok: true, deadline: soon });
    await eventually(async () => expect(await statusOf(parent.caseNumber)).toBe('queued'), 90_000);
    expect(await db().caseEvent.count({ where: { application: { caseNumber: parent.caseNumber }, type: 'offer.expired' } })).toBe(1);
  }, 120_000);

  it('refuses a past date, a missing reason and a case without that deadline, changing nothing', async () => {
    const parent = await offeredParent();
    const before = await offerOf(parent.caseNumber);
    const path = `/personal/ansokningar/${parent.caseNumber}/tidsfrist`;

    const past = await admin.post(path, form(new Date(Date.now() - 2 * 86_400_000)));
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('Den nya tidsfristen måste ligga efter just nu.');
    const noReason = await admin.post(path, form(new Date(Date.now() + 5 * 86_400_000), ' '));
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Skriv varför tidsfristen ändras');
    const wrongKind = await admin.post(path, { ...form(new Date(Date.now() + 5 * 86_400_000)), choice: 'managerConsent' });
    expect(wrongKind.status).toBe(422);
    expect(await wrongKind.text()).toContain('Ärendet har ingen sådan tidsfrist som löper just nu.');

    // Past the page, the workflow's validator refuses too: nothing enters its history.
    const { changeDeadline } = await import('../../lib/commands/case');
    expect(await changeDeadline(stack.deps.temporal, parent.workflowId, { kind: 'offerAnswer', deadline: new Date(Date.now() - 60_000).toISOString(), actorId: adminId })).toEqual({
      ok: false,
      code: 'deadline-in-past',
    });
    const history = await stack.deps.temporal.workflow.getHandle(parent.workflowId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain('changeDeadline');

    expect((await offerOf(parent.caseNumber)).expiresAt).toEqual(before.expiresAt);
    expect(await db().caseEvent.count({ where: { application: { caseNumber: parent.caseNumber }, type: 'deadline.changed' } })).toBe(0);
    expect(await db().auditEntry.count({ where: { caseNumber: parent.caseNumber, action: 'caseAction' } })).toBe(0);
  });

  it('is only for staff who may: another district’s leader finds no such case', async () => {
    const parent = await offeredParent();
    // The case's district is none of Rinkeby's.
    const rinkeby = await WebClient.loggedIn(app, db(), DEMO_STAFF.leaderRinkeby);
    expect((await rinkeby.get(`/personal/ansokningar/${parent.caseNumber}/tidsfrist`)).status).toBe(404);
    expect((await rinkeby.post(`/personal/ansokningar/${parent.caseNumber}/tidsfrist`, form(new Date(Date.now() + 5 * 86_400_000)))).status).toBe(404);
    expect(await db().caseEvent.count({ where: { application: { caseNumber: parent.caseNumber }, type: 'deadline.changed' } })).toBe(0);
  });
});
