// Group leaders decide on their district's applications up to capacity (R3.2, R3.4). Central staff's
// case inspector (R9.4) is tested in inspector.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { parentApplies } from '../support/parentApplies';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let leader: WebClient;
let courseId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
  const course = await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  courseId = course.id;
  await stack.deps.db.course.update({ where: { id: courseId }, data: { capacity: 1 } });
});
afterAll(async () => stack?.stop());

const applyAsNewParent = () => parentApplies(stack, app, courseId);

describe('group leader', () => {
  it('lands on the staff page after login and sees the applications to handle', async () => {
    const { caseNumber } = await applyAsNewParent();
    const page = await (await leader.get('/personal/ansokningar')).text();
    expect(page).toContain(caseNumber);
    expect(page).toContain(`aria-label="Anta: ${caseNumber}"`);
  });

  it('admits up to the capacity, refuses more with a clear message, and queues the rest', async () => {
    const first = await applyAsNewParent();
    const second = await applyAsNewParent();

    const admitted = await leader.post(`/personal/ansokningar/${first.caseNumber}/beslut`, { decision: 'admit' });
    expect(admitted.status).toBe(303);
    expect(await (await leader.get(admitted.headers.get('location')!)).text()).toContain(`${first.caseNumber} är antagen`);

    const refused = await leader.post(`/personal/ansokningar/${second.caseNumber}/beslut`, { decision: 'admit' });
    const refusedPage = await (await leader.get(refused.headers.get('location')!)).text();
    expect(refusedPage).toContain('Det finns ingen ledig plats: alla platser är tagna eller erbjudna.');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: second.caseNumber } })).status).toBe('submitted');

    await leader.post(`/personal/ansokningar/${second.caseNumber}/beslut`, { decision: 'queue' });
    const leaderId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
    const decision = await stack.deps.db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber: second.caseNumber }, type: 'decision.queued' } });
    expect(decision.actor).toBe(leaderId);

    // The parents follow it live in Mina ärenden.
    await eventually(async () => {
      const panel = await (await first.client.get(`/mina-arenden/${first.caseNumber}/status`)).text();
      expect(panel).toContain('data-status="admitted"');
      expect(panel).toContain('Dina träffar');
    });
    await eventually(async () => {
      const panel = await (await second.client.get(`/mina-arenden/${second.caseNumber}/status`)).text();
      expect(panel).toContain('Din plats i kön: 1');
      expect(panel).toContain('Närmaste stadsdel med Komet: Rinkeby-Kista');
    });
  });

  it('refuses an unknown decision without touching the case', async () => {
    const { caseNumber } = await applyAsNewParent();
    const res = await leader.post(`/personal/ansokningar/${caseNumber}/beslut`, { decision: 'delete' });
    expect(res.status).toBe(400);
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('submitted');
  });

  it('filters the working list by status', async () => {
    const page = await (await leader.get('/personal/ansokningar?status=admitted')).text();
    expect(page).toMatch(/badge-admitted/);
    expect(page).not.toMatch(/<td><span class="badge badge-submitted/);
  });
});

describe('health', () => {
  it('answers ok once database, Temporal and a polling worker are ready, 503 naming the part otherwise', async () => {
    const res = await eventually(async () => {
      const r = await app.request('/health');
      expect(r.status).toBe(200);
      return r;
    });
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', temporal: 'ok', worker: 'ok' } });
    const noWorker = createApp(stack.deps, { health: async () => false });
    const down = await noWorker.request('/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', failing: ['worker'] });
  });
});
