// "Mina ärenden" (R2.6) from its one hand-written query: the parent's own cases, newest first,
// with course, district and status; and the session behind it, which writes at most once a minute.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../web/app';
import { createCitizen, startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const email = () => `list-${randomUUID().slice(0, 8)}@example.org`;

/** A parent logged in through the real link flow, with their address and person row. */
async function loggedInParent() {
  const address = email();
  const parent = await WebClient.loggedIn(app, stack.deps.db, address);
  const me = await stack.deps.db.person.findUniqueOrThrow({ where: { email: address } });
  return { parent, address, me };
}

async function storeCase(personId: string, courseId: string, caseNumber: string, status: 'submitted' | 'admitted' | 'queued', submittedAt: Date) {
  const course = await stack.deps.db.course.findUniqueOrThrow({ where: { id: courseId } });
  await stack.deps.db.application.create({
    data: {
      caseNumber,
      kind: course.kind,
      personId,
      courseId,
      status,
      answers: {},
      submittedAt,
      idempotencyKey: `test:${randomUUID()}`,
      workflowId: `test-${randomUUID()}`,
    },
  });
}

describe('GET /mina-arenden', () => {
  it('lists only the parent’s own cases, newest first, with course, district and status', async () => {
    const db = stack.deps.db;
    const { parent, me } = await loggedInParent();
    const someoneElse = await createCitizen(stack.deps);
    const inDistrict = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, kind: 'groupCourse' }, include: { district: true } });
    const web = await db.course.create({ data: { kind: 'webCourse', title: 'Komet på webben (test)', capacity: 50, status: 'open' } });

    await storeCase(me.id, inDistrict.id, 'KOM-2030-000101', 'admitted', new Date('2030-01-10T09:00:00Z'));
    await storeCase(me.id, web.id, 'KOM-2030-000102', 'queued', new Date('2030-02-10T09:00:00Z'));
    await storeCase(someoneElse.id, inDistrict.id, 'KOM-2030-000103', 'submitted', new Date('2030-03-10T09:00:00Z'));

    const res = await parent.get('/mina-arenden');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('KOM-2030-000103');
    const [newer, older] = [html.indexOf('KOM-2030-000102'), html.indexOf('KOM-2030-000101')];
    expect(newer).toBeGreaterThan(-1);
    expect(older).toBeGreaterThan(newer);
    const rowOf = (number: string) => /<tr>[\s\S]*?<\/tr>/.exec(html.slice(html.lastIndexOf('<tr>', html.indexOf(number))))![0];
    expect(rowOf('KOM-2030-000101')).toContain(`${inDistrict.title}, ${inDistrict.district!.name}`);
    expect(rowOf('KOM-2030-000101')).toContain('Antagen');
    expect(rowOf('KOM-2030-000102')).toContain('Komet på webben (test)<');
    expect(rowOf('KOM-2030-000102')).toContain('I kö');
  });

  it('shows the empty state to a parent without cases', async () => {
    const { parent } = await loggedInParent();
    const html = await (await parent.get('/mina-arenden')).text();
    expect(html).toContain('Du har inga ärenden ännu.');
    expect(html).not.toContain('<table');
  });
});

describe('the session behind it', () => {
  it('records the last visit at most once a minute', async () => {
    const db = stack.deps.db;
    const { parent, address } = await loggedInParent();
    const session = () => db.webSession.findFirstOrThrow({ where: { person: { email: address } } });

    const fresh = (await session()).lastSeenAt;
    expect((await parent.get('/mina-arenden')).status).toBe(200);
    expect((await session()).lastSeenAt).toEqual(fresh);

    const twoMinutesAgo = new Date(Date.now() - 2 * 60 * 1000);
    await db.webSession.updateMany({ where: { person: { email: address } }, data: { lastSeenAt: twoMinutesAgo } });
    expect((await parent.get('/mina-arenden')).status).toBe(200);
    expect((await session()).lastSeenAt.getTime()).toBeGreaterThan(twoMinutesAgo.getTime() + 60 * 1000);
  });

  it('is one statement with the page: the session and the parent\'s cases in one round trip, HEAD included', async () => {
    const db = stack.deps.db;
    const { parent, me } = await loggedInParent();
    const course = await db.course.findFirstOrThrow({ where: { kind: 'groupCourse' } });
    await storeCase(me.id, course.id, 'KOM-2030-000201', 'submitted', new Date('2030-04-10T09:00:00Z'));

    const sql = vi.spyOn(db, 'sql');
    try {
      const res = await parent.get('/mina-arenden');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('KOM-2030-000201');
      expect(sql).toHaveBeenCalledTimes(1);
      const [strings, ...values] = sql.mock.calls[0] as [TemplateStringsArray, ...{ strings?: string[] }[]];
      const text = [strings.join('?'), ...values.map((v) => v?.strings?.join('?') ?? '')].join(' ');
      expect(text).toMatch(/FROM web_session/);
      expect(text).toMatch(/'cases'/);
      sql.mockClear();
      expect((await parent.send('/mina-arenden', { method: 'HEAD' })).status).toBe(200);
      expect(sql).toHaveBeenCalledTimes(1);
      // The path as the router sees it: percent-encoded, it is still the page read with the session.
      const encoded = await parent.get('/mina%2Darenden');
      expect(encoded.status).toBe(200);
      expect(await encoded.text()).toContain('KOM-2030-000201');
    } finally {
      sql.mockRestore();
    }
  });
});
