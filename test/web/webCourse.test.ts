// The web course (R4, R5.3–R5.4) through the web: the parent's modules and diary in "Mina ärenden",
// and the guide's console — only the guide's own parents, behind ones first, answers that reach the
// parent as a discreet notice, and signing a module off on the guidance workflow.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { WEB_COURSE_MODULES, WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { saveCaseTimings } from '../../lib/settings';
import { createApp } from '../../web/app';
import { decideUpdate } from '../../workflows/parentApplication.messages';
import { guidanceStatusQuery, webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';
import { eventually } from '../support/eventually';
import { parentApplies } from '../support/parentApplies';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

const DAY = 86_400_000;

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let courseId: string;
let adminId: string;
/** Both guides of the web course, logged in: the workflow gives each new parent the less busy one. */
const guides = new Map<string, WebClient>();

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  courseId = (await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } })).id;
  adminId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } })).id;
  const second = await db.person.create({ data: { email: 'guide2@komet.example', name: 'Olle Guide' } });
  await db.roleGrant.create({ data: { personId: second.id, role: 'guide', courseId } });
  for (const email of [DEMO_STAFF.guide, second.email]) {
    const client = new WebClient(app);
    const res = await client.login(db, email);
    // A guide lands in their own console, not on the staff page they have no access to.
    expect(res.headers.get('location')).toBe('/guide');
    guides.set((await db.person.findUniqueOrThrow({ where: { email } })).id, client);
  }
});
afterAll(async () => stack?.stop());

interface WebParent {
  client: WebClient;
  caseNumber: string;
  guideId: string;
  guide: WebClient;
  otherGuide: WebClient;
}

/** Applies through the form like any parent (R4.1), is admitted, and has module 1 open. */
async function admittedWebParent(): Promise<WebParent> {
  const db = stack.deps.db;
  const { client, caseNumber, handle } = await parentApplies(stack, app, courseId, { email: `webb-${randomUUID().slice(0, 8)}@example.org` });
  // The web course has no group leader: staff decide through the same update the leaders use.
  expect(await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: adminId }] })).toMatchObject({ ok: true, status: 'admitted' });
  const admitted = await eventually(async () => {
    const row = await db.application.findUniqueOrThrow({ where: { caseNumber } });
    expect(row.currentModule).toBe(1);
    expect(row.guideId).toBeTruthy();
    return row;
  });
  const guideId = admitted.guideId!;
  const otherGuide = [...guides].find(([id]) => id !== guideId)![1];
  return { client, caseNumber, guideId, guide: guides.get(guideId)!, otherGuide };
}

const notesOf = (caseNumber: string) => stack.deps.db.diaryNote.count({ where: { application: { caseNumber } } });

describe('the parent’s web course in Mina ärenden', () => {
  let parent: WebParent;
  beforeAll(async () => {
    parent = await admittedWebParent();
  });

  it('shows module 1 open with its text and the other modules locked; a locked module page is 404', async () => {
    const html = await (await parent.client.get(`/mina-arenden/${parent.caseNumber}`)).text();
    expect(html).toContain('id="web-course"');
    expect(html).toContain(`Ditt moment nu – moment 1: ${WEB_COURSE_MODULES[0].title}`);
    expect(html).toContain(WEB_COURSE_MODULES[0].body.split('\n\n')[1]);
    expect(html).not.toContain(WEB_COURSE_MODULES[1].body.split('\n\n')[0]);
    expect(html.match(/data-state="current"/g)).toHaveLength(1);
    expect(html.match(/data-state="locked"/g)).toHaveLength(5);
    expect((await parent.client.get(`/mina-arenden/${parent.caseNumber}/moment/1`)).status).toBe(200);
    expect((await parent.client.get(`/mina-arenden/${parent.caseNumber}/moment/2`)).status).toBe(404);
  });

  for (const [what, body, message] of [
    ['an empty note', '   ', 'Fyll i fältet.'],
    ['a note over 4000 characters', 'x'.repeat(4001), 'Texten är för lång.'],
  ] as const) {
    it(`refuses ${what} with the message beside the field and stores nothing`, async () => {
      const before = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
      const res = await parent.client.post(`/mina-arenden/${parent.caseNumber}/webbkurs/dagbok`, { body });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`<p class="error-text" id="f-body-error">.*${message}</p>`));
      expect(html).toContain('aria-invalid="true"');
      expect(await notesOf(parent.caseNumber)).toBe(0);
      const after = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
      expect(after.lastActiveAt).toEqual(before.lastActiveAt);
    });
  }

  it('stores a note for the current module, marks the parent active and tells the guidance workflow', async () => {
    const guidance = stack.deps.temporal.workflow.getHandle(webCourseGuidanceWorkflowId(parent.caseNumber));
    const activeBefore = (await guidance.query(guidanceStatusQuery)).lastActiveAt;
    const res = await parent.client.post(`/mina-arenden/${parent.caseNumber}/webbkurs/dagbok`, { body: 'Vi lekte lego i tio minuter.\nHan log hela tiden.' });
    expect(res.status).toBe(303);
    const page = await (await parent.client.get(res.headers.get('location')!)).text();
    expect(page).toContain('Din anteckning är sparad.');
    expect(page).toContain('Vi lekte lego i tio minuter.<br>Han log hela tiden.');
    const note = await stack.deps.db.diaryNote.findFirstOrThrow({ where: { application: { caseNumber: parent.caseNumber } } });
    expect(note).toMatchObject({ moduleNumber: 1, fromGuide: false });
    const row = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
    expect(row.lastActiveAt!.getTime()).toBe(note.createdAt.getTime());
    await eventually(async () => expect((await guidance.query(guidanceStatusQuery)).lastActiveAt > activeBefore).toBe(true));
  });

  it('answers the poll with 204 while nothing changed, and with the panel alone once it has', async () => {
    const fragment = await parent.client.get(`/mina-arenden/${parent.caseNumber}/webbkurs`, { 'hx-request': 'true' });
    const html = await fragment.text();
    expect(html).not.toContain('<html');
    const stamp = /data-stamp="([^"]+)"/.exec(html)![1];
    // The form the parent may be typing in survives a poll that swaps the panel.
    expect(html).toContain('hx-preserve="true"');
    const unchanged = await parent.client.get(`/mina-arenden/${parent.caseNumber}/webbkurs?sett=${stamp}`, { 'hx-request': 'true' });
    expect(unchanged.status).toBe(204);
    const stale = await parent.client.get(`/mina-arenden/${parent.caseNumber}/webbkurs?sett=old`, { 'hx-request': 'true' });
    expect(stale.status).toBe(200);
  });

  it('keeps other people out of the case’s web course', async () => {
    const stranger = await WebClient.loggedIn(app, stack.deps.db, `other-${randomUUID().slice(0, 8)}@example.org`);
    expect((await stranger.get(`/mina-arenden/${parent.caseNumber}/webbkurs`)).status).toBe(404);
    expect((await stranger.get(`/mina-arenden/${parent.caseNumber}/moment/1`)).status).toBe(404);
    expect((await stranger.post(`/mina-arenden/${parent.caseNumber}/webbkurs/dagbok`, { body: 'intrång' })).status).toBe(404);
    expect((await stranger.get('/guide')).status).toBe(403);
    expect(await notesOf(parent.caseNumber)).toBe(1);
  });
});

describe('the guide’s console', () => {
  let parent: WebParent;
  beforeAll(async () => {
    parent = await admittedWebParent();
  });

  it('answers 404 for another guide’s parent, on every page and action, and changes nothing', async () => {
    const other = parent.otherGuide;
    expect((await other.get(`/guide/${parent.caseNumber}`)).status).toBe(404);
    expect((await other.get(`/guide/${parent.caseNumber}/godkann`)).status).toBe(404);
    expect((await other.post(`/guide/${parent.caseNumber}/svar`, { body: 'Hej' })).status).toBe(404);
    expect((await other.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' })).status).toBe(404);
    expect(await (await other.get('/guide')).text()).not.toContain(parent.caseNumber);
    expect(await notesOf(parent.caseNumber)).toBe(0);
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } })).currentModule).toBe(1);
    // A group leader is no guide either.
    const leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    expect((await leader.get(`/guide/${parent.caseNumber}`)).status).toBe(403);
  });

  it('refuses an empty answer beside the field; an answer reaches the parent as a notice without its text', async () => {
    const empty = await parent.guide.post(`/guide/${parent.caseNumber}/svar`, { body: '' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toMatch(/<p class="error-text" id="f-body-error">.*Fyll i fältet.<\/p>/);
    expect(await notesOf(parent.caseNumber)).toBe(0);

    const answer = 'Fint att ni hittade en stund! Prova att beskriva vad han gör medan ni leker.';
    const res = await parent.guide.post(`/guide/${parent.caseNumber}/svar`, { body: answer });
    expect(res.status).toBe(303);
    expect(await (await parent.guide.get(res.headers.get('location')!)).text()).toContain('Svaret är sparat');
    expect(await stack.deps.db.diaryNote.findFirstOrThrow({ where: { application: { caseNumber: parent.caseNumber } } })).toMatchObject({
      fromGuide: true,
      authorId: parent.guideId,
      body: answer,
    });
    const email = (await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber }, include: { person: true } })).person.email;
    const notice = await stack.deps.db.notification.findFirstOrThrow({ where: { recipient: email, idempotencyKey: { startsWith: 'diary-answer:' } } });
    expect(notice.body).toContain(`/mina-arenden/${parent.caseNumber}`);
    expect(notice.body).not.toContain('Fint att ni');
    expect(notice.subject).not.toMatch(/dagbok|Komet/i);
    // The parent reads it in the diary thread.
    expect(await (await parent.client.get(`/mina-arenden/${parent.caseNumber}`)).text()).toContain(answer);
  });

  it('signs off module 1 after a confirmation step; module 2 opens for the parent; a stale second try is refused', async () => {
    const confirm = await (await parent.guide.get(`/guide/${parent.caseNumber}/godkann`)).text();
    expect(confirm).toContain('Godkänn moment 1');
    expect(confirm).toContain('name="moduleNumber" value="1"');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } })).currentModule).toBe(1);

    // No diary note from the parent for the module yet: refused with why, nothing changes (R5.3, R5.4).
    const early = await parent.guide.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' });
    expect(early.headers.get('location')).toBe(`/guide/${parent.caseNumber}?fel=no-diary`);
    expect(await (await parent.guide.get(early.headers.get('location')!)).text()).toContain('Föräldern har inte skrivit i dagboken för det här momentet än.');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } })).currentModule).toBe(1);
    expect(await stack.deps.db.caseEvent.count({ where: { application: { caseNumber: parent.caseNumber }, type: 'module.signedOff' } })).toBe(0);
    expect((await parent.client.post(`/mina-arenden/${parent.caseNumber}/webbkurs/dagbok`, { body: 'Vi har övat på beröm varje kväll.' })).status).toBe(303);

    const res = await parent.guide.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' });
    expect(res.headers.get('location')).toBe(`/guide/${parent.caseNumber}?godkant=2`);
    expect(await (await parent.guide.get(res.headers.get('location')!)).text()).toContain('Moment 2 är upplåst för föräldern.');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } })).currentModule).toBe(2);
    const event = await stack.deps.db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber: parent.caseNumber }, type: 'module.signedOff' } });
    expect(event.actor).toBe(parent.guideId);

    const panel = await (await parent.client.get(`/mina-arenden/${parent.caseNumber}/webbkurs`, { 'hx-request': 'true' })).text();
    expect(panel).toContain(`Ditt moment nu – moment 2: ${WEB_COURSE_MODULES[1].title}`);
    expect(panel.match(/data-state="done"/g)).toHaveLength(1);
    expect((await parent.client.get(`/mina-arenden/${parent.caseNumber}/moment/2`)).status).toBe(200);

    const again = await parent.guide.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' });
    expect(again.headers.get('location')).toBe(`/guide/${parent.caseNumber}?fel=not-current-module`);
    expect(await (await parent.guide.get(again.headers.get('location')!)).text()).toContain('Det momentet är inte det som föräldern arbetar med nu.');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } })).currentModule).toBe(2);
  });

  it('lists the guide’s parents with those behind first, by the inactivity setting', async () => {
    const db = stack.deps.db;
    const [quiet, silent, writing] = [await admittedWebParent(), await admittedWebParent(), await admittedWebParent()];
    // One guide for all three, whatever the load balancing chose.
    const guideId = parent.guideId;
    const guide = parent.guide;
    await db.application.updateMany({ where: { caseNumber: { in: [quiet, silent, writing].map((p) => p.caseNumber) } }, data: { guideId } });
    const now = Date.now();
    // Quiet: last note 10 days ago, module opened 20 days ago.
    const quietApp = await db.application.update({ where: { caseNumber: quiet.caseNumber }, data: { decidedAt: new Date(now - 20 * DAY) } });
    await db.diaryNote.create({ data: { applicationId: quietApp.id, moduleNumber: 1, authorId: quietApp.personId, body: 'gammal', createdAt: new Date(now - 10 * DAY) } });
    // Silent: no note since the module opened 8 days ago.
    await db.application.update({ where: { caseNumber: silent.caseNumber }, data: { decidedAt: new Date(now - 8 * DAY) } });
    // Writing: a note today.
    await writing.client.post(`/mina-arenden/${writing.caseNumber}/webbkurs/dagbok`, { body: 'Det går bra.' });

    const rowOf = (html: string, caseNumber: string) => /<tr id="row-[^"]+">[\s\S]*?<\/tr>/.exec(html.slice(html.indexOf(`<tr id="row-${caseNumber}"`)))![0];
    const html = await (await guide.get('/guide')).text();
    const order = [...html.matchAll(/<tr id="row-([^"]+)"/g)].map((m) => m[1]);
    expect(order.slice(0, 2)).toEqual([quiet.caseNumber, silent.caseNumber]);
    expect(order.indexOf(writing.caseNumber)).toBeGreaterThan(1);
    expect(rowOf(html, quiet.caseNumber)).toContain('Ligger efter');
    expect(rowOf(html, silent.caseNumber)).toContain('Ligger efter');
    expect(rowOf(html, silent.caseNumber)).toContain('Ingen ännu');
    expect(rowOf(html, writing.caseNumber)).not.toContain('Ligger efter');
    expect(html).toContain('mer än 7 dygn');

    // The threshold is the admin's inactivity setting: at 30 days nobody here is behind.
    await saveCaseTimings(db, { inactivityMs: 30 * DAY }, null);
    try {
      const relaxed = await (await guide.get('/guide')).text();
      expect(relaxed).not.toContain('badge-queued behind');
      expect(relaxed).toContain('mer än 30 dygn');
    } finally {
      await saveCaseTimings(db, { inactivityMs: 7 * DAY }, null);
    }
  });
});

describe('the guide’s compiled evaluations (R5.6)', () => {
  it('are linked from the console and open for the guide’s own web course only', async () => {
    const guideId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.guide } })).id;
    const guide = guides.get(guideId)!;
    const html = await (await guide.get('/guide')).text();
    expect(html).toContain(`/personal/kurser/${courseId}/utvardering`);
    expect((await guide.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(200);
    const group = await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'groupCourse' } });
    expect((await guide.get(`/personal/kurser/${group.id}/utvardering`)).status).toBe(404);
  });
});

describe('the admin’s rule: a module’s surveys answered before sign-off (R5.4)', () => {
  it('is set on the settings page; then sign-off waits for the surveys, says why, and the next module’s surveys open with it', async () => {
    const db = stack.deps.db;
    const admin = await WebClient.loggedIn(app, db, DEMO_STAFF.admin);
    expect((await admin.post('/personal/installningar/webbkurs', { signOffNeedsSurveys: 'yes' })).status).toBe(303);
    try {
      const settings = await (await admin.get('/personal/installningar')).text();
      expect(settings).toMatch(/id="signOffNeedsSurveys" name="signOffNeedsSurveys" value="yes" checked/);

      const parent = await admittedWebParent();
      const application = await db.application.findUniqueOrThrow({ where: { caseNumber: parent.caseNumber } });
      // The guidance workflow has opened module 1 (the row says so a moment before it does).
      const guidance = stack.deps.temporal.workflow.getHandle(webCourseGuidanceWorkflowId(parent.caseNumber));
      await eventually(async () => expect(await guidance.query(guidanceStatusQuery)).toMatchObject({ phase: 'modules', currentModule: 1 }));
      expect((await parent.client.post(`/mina-arenden/${parent.caseNumber}/webbkurs/dagbok`, { body: 'Vi har läst tillsammans.' })).status).toBe(303);
      // Module 1's surveys opened with the module; none answered yet.
      await eventually(async () => expect(await db.surveyInvitation.count({ where: { applicationId: application.id, moduleNumber: 1, used: false } })).toBeGreaterThan(0));

      const refused = await parent.guide.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' });
      expect(refused.headers.get('location')).toBe(`/guide/${parent.caseNumber}?fel=surveys-unanswered`);
      expect(await (await parent.guide.get(refused.headers.get('location')!)).text()).toContain('Föräldern har inte besvarat momentets enkäter än.');
      expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).currentModule).toBe(1);
      expect(await db.caseEvent.count({ where: { applicationId: application.id, type: 'module.signedOff' } })).toBe(0);

      // Answered (the answer itself is stored apart from the invitation, R4.3).
      await db.surveyInvitation.updateMany({ where: { applicationId: application.id, moduleNumber: 1 }, data: { used: true } });
      const signed = await parent.guide.post(`/guide/${parent.caseNumber}/godkann`, { moduleNumber: '1' });
      expect(signed.headers.get('location')).toBe(`/guide/${parent.caseNumber}?godkant=2`);
      expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).currentModule).toBe(2);
      await eventually(async () => expect(await db.surveyInvitation.count({ where: { applicationId: application.id, moduleNumber: 2 } })).toBeGreaterThan(0));
    } finally {
      expect((await admin.post('/personal/installningar/webbkurs', {})).status).toBe(303);
    }
    expect(await (await admin.get('/personal/installningar')).text()).not.toMatch(/name="signOffNeedsSurveys" value="yes" checked/);
  });
});
