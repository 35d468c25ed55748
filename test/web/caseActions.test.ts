// The parent withdraws from "Mina ärenden" (with a confirmation step) and answers an offered seat;
// the admin sets the case timings and opens a course for its queue (R2.5, R2.6, R2.9).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseTimings } from '../../lib/settings';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { decideUpdate } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { parentApplies } from '../support/parentApplies';
import { WebClient } from '../support/webClient';

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

async function courseIn(district: string, capacity: number, status: 'open' | 'draft' = 'open') {
  const d = await stack.deps.db.district.findUniqueOrThrow({ where: { slug: district } });
  return stack.deps.db.course.create({
    data: {
      kind: 'groupCourse',
      title: `Kvällsgrupp ${randomUUID().slice(0, 4)}`,
      districtId: d.id,
      capacity,
      status,
      sessions: { create: [{ startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000) }] },
    },
  });
}

async function parentAppliesTo(courseId: string, decision?: 'admit' | 'queue') {
  const applied = await parentApplies(stack, app, courseId);
  if (decision) await applied.handle.executeUpdate(decideUpdate, { args: [{ decision, actorId: adminId }] });
  return applied;
}

const statusOf = async (caseNumber: string) => (await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status;

describe('the parent withdraws', () => {
  it('asks for confirmation first, then closes the case and offers the seat to the first in the queue', async () => {
    const course = await courseIn('norrmalm', 1);
    const leaving = await parentAppliesTo(course.id, 'admit');
    const waiting = await parentAppliesTo(course.id, 'queue');

    const casePage = await (await leaving.client.get(`/mina-arenden/${leaving.caseNumber}`)).text();
    expect(casePage).toContain(`href="/mina-arenden/${leaving.caseNumber}/aterta"`);
    const confirm = await leaving.client.get(`/mina-arenden/${leaving.caseNumber}/aterta`);
    expect(await confirm.text()).toContain('Vill du återta din anmälan?');
    expect(await statusOf(leaving.caseNumber)).toBe('admitted'); // the confirmation page changes nothing

    const done = await leaving.client.post(`/mina-arenden/${leaving.caseNumber}/aterta`, {});
    expect(done.status).toBe(303);
    expect(await statusOf(leaving.caseNumber)).toBe('withdrawn');
    await eventually(async () => expect(await statusOf(waiting.caseNumber)).toBe('offered'));

    // The offered parent sees the offer with its deadline and accepts it.
    const offerPage = await eventually(async () => {
      const html = await (await waiting.client.get(`/mina-arenden/${waiting.caseNumber}/status`)).text();
      expect(html).toContain('En plats är ledig för dig');
      return html;
    });
    expect(offerPage).toContain('Svara senast');
    const accepted = await waiting.client.post(`/mina-arenden/${waiting.caseNumber}/erbjudande`, { answer: 'accept' });
    expect(accepted.status).toBe(303);
    expect(await statusOf(waiting.caseNumber)).toBe('admitted');
  });

  it('cannot touch another parent\'s case, and a bad offer answer changes nothing', async () => {
    const course = await courseIn('norrmalm', 3);
    const mine = await parentAppliesTo(course.id);
    const other = await parentAppliesTo(course.id);
    expect((await other.client.get(`/mina-arenden/${mine.caseNumber}/aterta`)).status).toBe(404);
    expect((await other.client.post(`/mina-arenden/${mine.caseNumber}/aterta`, {})).status).toBe(404);
    expect((await mine.client.post(`/mina-arenden/${mine.caseNumber}/erbjudande`, { answer: 'maybe' })).status).toBe(400);
    expect(await statusOf(mine.caseNumber)).toBe('submitted');
    expect((await mine.client.post(`/mina-arenden/${mine.caseNumber}/aterta`, {}, { csrf: false })).status).toBe(403);
    expect(await statusOf(mine.caseNumber)).toBe('submitted');
  });
});

describe('the admin settings', () => {
  it('saves the reminder lead time and refuses bad values beside the field, storing nothing', async () => {
    const before = await loadCaseTimings(stack.deps.db);
    const bad = await admin.post('/personal/installningar', {
      reminderLeadHours: 'tjugo',
      offerTtlDays: '0',
      surveyReminderDays: '2',
      completionWindowDays: '',
      inactivityDays: '7',
      noticeQuietMinutes: '10',
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Skriv ett heltal');
    expect(html).toContain('utanför det tillåtna intervallet');
    expect(html).toContain('aria-invalid="true"');
    expect(await loadCaseTimings(stack.deps.db)).toEqual(before);

    const ok = await admin.post('/personal/installningar', {
      reminderLeadHours: '6',
      offerTtlDays: '2',
      surveyReminderDays: '3',
      completionWindowDays: '30',
      inactivityDays: '7',
      noticeQuietMinutes: '15',
    });
    expect(ok.status).toBe(200);
    const saved = await ok.text();
    expect(saved).toContain('Inställningarna är sparade');
    expect(saved).toMatch(/id="f-noticeQuietMinutes"[^>]*value="15"|value="15"[^>]*id="f-noticeQuietMinutes"/);
    const after = await loadCaseTimings(stack.deps.db);
    expect(after.reminderLeadMs).toBe(6 * 3_600_000);
    expect(after.offerTtlMs).toBe(2 * 86_400_000);
    // The notices' quiet period (issue 16) is one of the case timings.
    expect(after.noticeQuietMs).toBe(15 * 60_000);
  });

  it('is for admins only', async () => {
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    expect((await leader.get('/personal/installningar')).status).toBe(403);
    expect((await leader.post('/personal/installningar', { reminderLeadHours: '1' })).status).toBe(403);
  });

  it('opens a course and its seats go to the queue in order', async () => {
    const full = await courseIn('spanga-tensta', 1);
    await parentAppliesTo(full.id, 'admit');
    const first = await parentAppliesTo(full.id, 'queue');
    const draft = await courseIn('spanga-tensta', 1, 'draft');
    expect(await (await admin.get('/personal/installningar')).text()).toContain(draft.title);

    const res = await admin.post(`/personal/installningar/kurser/${draft.id}/oppna`, {});
    expect(res.status).toBe(303);
    expect((await stack.deps.db.course.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe('open');
    await eventually(async () => expect(await statusOf(first.caseNumber)).toBe('offered'));
    expect((await admin.post(`/personal/installningar/kurser/not-a-uuid/oppna`, {})).status).toBe(404);
  });
});
