// The case inspector (R9.4) on the real dev server: central staff list and filter the running case
// workflows from Temporal visibility, page through them, open one after stating a reason (R11.5)
// and act on it with a reason of their own that stays out of Temporal.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { createApp } from '../../web/app';
import { startOpenWorkflows } from '../../bench/inspector';
import { forgetCounts, INSPECTOR_PAGE_SIZE } from '../../lib/inspector/listing';
import { decideUpdate, PARENT_APPLICATION, parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';
import {
  CaseKindKey,
  CaseNumberKey,
  CaseStatusKey,
  CourseKey,
  DistrictKey,
  WaitingForKey,
  WaitingSinceKey,
} from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { parentApplies, untilWaitingFor } from '../support/parentApplies';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let central: WebClient;
let centralId: string;
let adminId: string;
let courseId: string;
/** A case waiting for the leader's decision, opened by most tests. */
let waiting: string;

const REASON = { purpose: 'supervision', detail: 'Uppföljning av ärenden som väntat länge' };
/** Extra open workflows in one district and status, for paging (no worker polls their queue). */
const PAGING_DISTRICT = 'farsta';
const PAGED = INSPECTOR_PAGE_SIZE + 5;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  central = await WebClient.loggedIn(app, db, DEMO_STAFF.central);
  centralId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.central } })).id;
  adminId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } })).id;
  courseId = (await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv', kind: 'groupCourse' } })).id;
  await startPagedWorkflows(stack.deps.temporal, PAGED);
  waiting = await applyAsNewParent(courseId);
}, 120_000);
afterAll(async () => stack?.stop());

const applyAsNewParent = async (course: string): Promise<string> => (await parentApplies(stack, app, course)).caseNumber;

async function admit(caseNumber: string): Promise<void> {
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
  expect(await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: adminId }] })).toMatchObject({ ok: true });
  await untilWaitingFor(handle, 'nextSession');
}

/** Open cases waiting 20 days for a decision in one district, as the bench starts them by the thousand. */
async function startPagedWorkflows(temporal: Client, count: number): Promise<void> {
  const since = new Date(Date.now() - 20 * 86_400_000);
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const caseNumber = `KOM-2099-${String(500_000 + i).padStart(6, '0')}`;
      return temporal.workflow.start(PARENT_APPLICATION, {
        workflowId: `${PARENT_APPLICATION}-paged-${i}`,
        taskQueue: 'inspector-test-no-worker',
        args: [{ caseNumber, applicationId: randomUUID(), courseId: randomUUID(), districtSlug: PAGING_DISTRICT, kind: 'groupCourse' }],
        typedSearchAttributes: [
          { key: CaseNumberKey, value: caseNumber },
          { key: CaseKindKey, value: PARENT_APPLICATION },
          { key: DistrictKey, value: PAGING_DISTRICT },
          { key: CaseStatusKey, value: 'queued' },
          { key: CourseKey, value: randomUUID() },
          { key: WaitingForKey, value: 'decision' },
          { key: WaitingSinceKey, value: since },
        ],
      });
    }),
  );
}

async function listPage(client: WebClient, query = ''): Promise<string> {
  const res = await client.get(`/personal/arenden${query ? `?${query}` : ''}`);
  expect(res.status).toBe(200);
  return res.text();
}

const casesOn = (html: string) => [...html.matchAll(/<a href="\/personal\/arenden\/(KOM-\d{4}-\d{6})">/g)].map((m) => m[1]);

/** States the reason for opening the case; returns the case page's address with the pass. */
async function openCase(client: WebClient, caseNumber: string, returnTo = `/personal/arenden/${caseNumber}`): Promise<string> {
  const gate = await client.get(returnTo);
  expect(gate.status).toBe(200);
  expect(await gate.text()).toContain('action="/personal/atkomst"');
  const stated = await client.post('/personal/atkomst', { caseNumber, returnTo, ...REASON });
  expect(stated.status).toBe(303);
  return stated.headers.get('location')!;
}

const passOf = (url: string) => new URL(url, 'http://x').searchParams.get('atkomst')!;

describe('the list', () => {
  it('lists running case workflows from Temporal visibility with names for their ids', async () => {
    const html = await eventually(async () => {
      const page = await listPage(central, `caseNumber=${waiting}`);
      expect(casesOn(page)).toEqual([waiting]);
      return page;
    });
    expect(html).toContain('1 ärende matchar filtret.');
    expect(html).toContain('Förälders anmälan');
    expect(html).toContain('Södermalm');
    expect(html).toContain('Komet för föräldrar till barn 3–11 år');
    expect(html).toContain('Gruppledarens beslut');
    expect(html).toContain('i dag');
    // Unfiltered: the running cases, real and started here.
    expect(casesOn(await listPage(central)).length).toBe(INSPECTOR_PAGE_SIZE);
  });

  it('filters by kind, district, status, waiting-for and waiting time', async () => {
    await eventually(async () => expect(casesOn(await listPage(central, `district=${PAGING_DISTRICT}`)).length).toBe(INSPECTOR_PAGE_SIZE));
    const inSodermalm = casesOn(await listPage(central, 'district=sodermalm'));
    expect(inSodermalm).toContain(waiting);
    expect(inSodermalm.some((n) => n.startsWith('KOM-2099-'))).toBe(false);
    expect(casesOn(await listPage(central, 'kind=parentApplication&status=submitted&waitingFor=decision'))).toContain(waiting);
    expect(casesOn(await listPage(central, 'kind=professionalEnrolment'))).not.toContain(waiting);
    const queued = casesOn(await listPage(central, 'status=queued'));
    expect(queued).not.toContain(waiting);
    expect(queued.every((n) => n.startsWith('KOM-2099-'))).toBe(true);
    expect(casesOn(await listPage(central, 'waitingFor=nextSession'))).not.toContain(waiting);
    const stuck = casesOn(await listPage(central, 'waitingDays=10'));
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck).not.toContain(waiting);
    expect(stuck.every((n) => n.startsWith('KOM-2099-'))).toBe(true);
    const course = casesOn(await listPage(central, `course=${courseId}`));
    expect(course).toContain(waiting);
  });

  it('pages through more cases than fit on one page with Temporal’s page token', async () => {
    const first = await eventually(async () => {
      forgetCounts(); // totals are cached for a few seconds; these workflows were just started
      const page = await listPage(central, `district=${PAGING_DISTRICT}&status=queued`);
      expect(page).toContain(`${PAGED} ärenden matchar filtret.`);
      return page;
    });
    expect(first).toContain('Sida 1 av 2');
    const next = /<a href="([^"]+)" rel="next">Nästa sida<\/a>/.exec(first)![1].replaceAll('&amp;', '&');
    const second = await (await central.get(next)).text();
    expect(second).toContain('Sida 2 av 2');
    expect(second).not.toContain('rel="next"');
    const all = [...casesOn(first), ...casesOn(second)];
    expect(all.length).toBe(PAGED);
    expect(new Set(all).size).toBe(PAGED);
  });

  it('refuses unknown codes and malformed values beside their fields, and a broken page token without a 500', async () => {
    const bad = await central.get(`/personal/arenden?kind=deleteAll&caseNumber=${encodeURIComponent("x' OR 1=1")}&district=nowhere&waitingDays=-3`);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Välj en typ av ärende i listan.');
    expect(html).toContain('Skriv ett helt ärendenummer');
    expect(html).toContain('Välj en stadsdel i listan.');
    expect(html).toContain('Skriv ett helt antal dagar');
    expect(html).toContain('aria-invalid="true"');

    // A page token is signed for its filter: an edited one, or one moved to another filter, is refused.
    const forged = await central.get(`/personal/arenden?sida=eyJ4IjoxfQ.${'A'.repeat(43)}&nr=2`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Sidan gick inte att visa längre');
    const first = await listPage(central, `district=${PAGING_DISTRICT}`);
    const next = /<a href="([^"]+)" rel="next">/.exec(first)![1].replaceAll('&amp;', '&');
    expect((await central.get(next.replace(`district=${PAGING_DISTRICT}`, 'district=bromma'))).status).toBe(400);
    // A token outside the alphabet is dropped: the first page.
    expect((await central.get('/personal/arenden?sida=%27%3B--')).status).toBe(200);
  });

  it('lists the web course guidance under the same case number and shows it on the case page', async () => {
    const webCourse = (await stack.deps.db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } })).id;
    const caseNumber = await applyAsNewParent(webCourse);
    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: adminId }] });
    const guidance = stack.deps.temporal.workflow.getHandle(webCourseGuidanceWorkflowId(caseNumber));
    await eventually(async () => expect((await guidance.describe()).status.name).toBe('RUNNING'));
    await eventually(async () => expect(casesOn(await listPage(central, `kind=webCourseGuidance&caseNumber=${caseNumber}`))).toEqual([caseNumber]));
    const page = await (await central.get(await openCase(central, caseNumber))).text();
    expect(page).toContain('Guidningen i webbkursen');
    expect(page).toContain('Guidens godkännande av ett moment');
    expect(page).toContain(`/workflows/${webCourseGuidanceWorkflowId(caseNumber)}`);
  });
});

describe('one case', () => {
  it('asks for a reason, then shows live state, waiting-for, history and notices; one audit entry per reason', async () => {
    const db = stack.deps.db;
    const before = await db.auditEntry.count({ where: { caseNumber: waiting } });
    const url = await openCase(central, waiting);
    expect(await db.auditEntry.count({ where: { caseNumber: waiting } })).toBe(before + 1);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { caseNumber: waiting }, orderBy: { createdAt: 'desc' } });
    expect(entry).toMatchObject({ actorId: centralId, action: 'caseOpened' });
    expect(entry.reason).toContain(REASON.detail);

    const res = await central.get(url);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`Ärende ${waiting}`);
    expect(page).toContain('data-waiting-for="decision"');
    expect(page).toContain('Gruppledarens beslut');
    expect(page).toContain('&quot;waitingFor&quot;: &quot;decision&quot;');
    expect(page).toContain('Processen startade: Förälders anmälan');
    expect(page).toContain('Steg klart: skicka besked');
    expect(page).toContain('Väntar nu på: Gruppledarens beslut');
    expect(page).toContain(`http://localhost:8233/namespaces/default/workflows/${parentApplicationWorkflowId(waiting)}`);
    expect(page).toContain('Skickade besked');
    expect(page).toContain('E-post');
    expect(page).toContain('Processen väntar inte på någon tidpunkt just nu.');
    // The same pass opens it again without a second entry.
    expect((await central.get(url)).status).toBe(200);
    expect(await db.auditEntry.count({ where: { caseNumber: waiting } })).toBe(before + 1);
    // Without the pass the reason is asked for again.
    expect(await (await central.get(`/personal/arenden/${waiting}`)).text()).toContain('action="/personal/atkomst"');
  });

  it('shows the timers of an admitted case', async () => {
    const caseNumber = await applyAsNewParent(courseId);
    await admit(caseNumber);
    const page = await (await central.get(await openCase(central, caseNumber))).text();
    expect(page).toContain('Processen vaknar av sig själv');
    expect(page).toContain('Väntar som längst till');
    expect(page).toContain('data-waiting-for="nextSession"');
  });

  it('answers 404 for an unknown or malformed case number', async () => {
    expect((await central.get('/personal/arenden/KOM-2000-999999')).status).toBe(404);
    expect((await central.get('/personal/arenden/nope')).status).toBe(404);
  });
});

describe('actions', () => {
  it('moves an admitted case to the queue: the workflow takes it and a case event keeps the reason', async () => {
    const db = stack.deps.db;
    const caseNumber = await applyAsNewParent(courseId);
    await admit(caseNumber);
    const url = await openCase(central, caseNumber);
    const pass = passOf(url);
    const caseLink = await (await central.get(url)).text();
    expect(caseLink).toContain('Flytta ärendet till kön');

    const confirm = await central.get(`/personal/arenden/${caseNumber}/till-ko?atkomst=${encodeURIComponent(pass)}`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('name="reason"');

    // Too short: the form again with the message beside the field; nothing changes.
    const short = await central.post(`/personal/arenden/${caseNumber}/till-ko?atkomst=${encodeURIComponent(pass)}`, { reason: ' ab ' });
    expect(short.status).toBe(422);
    const shortPage = await short.text();
    expect(shortPage).toContain('Skriv ett skäl på minst 5 tecken.');
    expect(shortPage).toContain('aria-invalid="true"');
    const empty = await central.post(`/personal/arenden/${caseNumber}/till-ko?atkomst=${encodeURIComponent(pass)}`, {});
    expect(empty.status).toBe(422);
    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    expect((await handle.query(statusQuery)).status).toBe('admitted');
    expect(await db.caseEvent.count({ where: { application: { caseNumber }, type: { startsWith: 'inspector.' } } })).toBe(0);

    const reason = 'Kursen ställdes in, platsen ska till nästa i kön';
    const done = await central.post(`/personal/arenden/${caseNumber}/till-ko?atkomst=${encodeURIComponent(pass)}`, { reason });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toContain('utfall=moved');
    expect((await handle.query(statusQuery)).status).toBe('queued');
    const event = await db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber }, type: 'inspector.movedToQueue' } });
    expect(event.actor).toBe(centralId);
    expect(event.data).toEqual({ reason });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { caseNumber, action: 'caseAction' } });
    expect(audit).toMatchObject({ actorId: centralId });
    expect(audit.reason).toContain(reason);
    const page = await (await central.get(done.headers.get('location')!)).text();
    expect(page).toContain('Ärendet är flyttat till kön.');
    expect(page).toContain(`Skäl: ${reason}`);
    // The reason never went to Temporal.
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(Buffer.from(reason).toString('base64').slice(0, 20));
    expect(history).not.toContain(reason);
  });

  it('cancels a case: withdrawn by staff, a case event with the reason, and the closed process shown plainly', async () => {
    const db = stack.deps.db;
    const caseNumber = await applyAsNewParent(courseId);
    const pass = passOf(await openCase(central, caseNumber));
    const reason = 'Dubbelregistrerad ansökan enligt föräldern';
    const done = await central.post(`/personal/arenden/${caseNumber}/avsluta?atkomst=${encodeURIComponent(pass)}`, { reason });
    expect(done.headers.get('location')).toContain('utfall=cancelled');
    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect((await db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('withdrawn');
    const event = await db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber }, type: 'inspector.cancelled' } });
    expect(event).toMatchObject({ actor: centralId, data: { reason } });

    const page = await central.get(`/personal/arenden/${caseNumber}?atkomst=${encodeURIComponent(pass)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Processen är avslutad (avslutad)');
    expect(html).toContain('Processen avslutades');
    expect(html).not.toContain('Flytta ärendet till kön</a>');
    // A second cancel finds nothing to cancel and records nothing.
    const again = await central.post(`/personal/arenden/${caseNumber}/avsluta?atkomst=${encodeURIComponent(pass)}`, { reason });
    expect(again.headers.get('location')).toMatch(/utfall=(unavailable|notCancellable)/);
    expect(await db.caseEvent.count({ where: { application: { caseNumber }, type: 'inspector.cancelled' } })).toBe(1);
  });

  it('resends the last notice: the same e-mail and SMS again under a new key, and a case event', async () => {
    const db = stack.deps.db;
    const caseNumber = await applyAsNewParent(courseId);
    const workflowId = parentApplicationWorkflowId(caseNumber);
    const mails = () => stack.resend.delivered.filter((m) => m.idempotencyKey?.startsWith(`${workflowId}:`));
    await eventually(() => expect(mails().length).toBe(1));
    const pass = passOf(await openCase(central, caseNumber));
    const confirm = await (await central.get(`/personal/arenden/${caseNumber}/skicka-igen?atkomst=${encodeURIComponent(pass)}`)).text();
    expect(confirm).toContain('Senaste beskedet:');

    const reason = 'Föräldern ringde och har inte fått bekräftelsen';
    const done = await central.post(`/personal/arenden/${caseNumber}/skicka-igen?atkomst=${encodeURIComponent(pass)}`, { reason });
    expect(done.headers.get('location')).toContain('utfall=resent');
    expect(mails().length).toBe(2);
    const [first, again] = mails();
    expect(again).toMatchObject({ subject: first.subject, text: first.text });
    const event = await db.caseEvent.findFirstOrThrow({ where: { application: { caseNumber }, type: 'inspector.noticeResent' } });
    expect(event).toMatchObject({ actor: centralId, data: { reason, notice: 'confirmation' } });
    expect(again.idempotencyKey).toBe(`${workflowId}:resend-${event.id}`);
    // The SMS half goes again too, with the same text.
    const [sms, smsAgain] = await Promise.all([
      db.notification.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:notice-confirmation:sms` } }),
      db.notification.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:resend-${event.id}:sms` } }),
    ]);
    expect(smsAgain).toMatchObject({ channel: 'sms', status: 'sent', body: sms.body, recipient: sms.recipient });
    const page = await (await central.get(done.headers.get('location')!)).text();
    expect(page).toContain('Senaste beskedet är skickat igen.');
    expect(page).toContain('skickat igen av Komet centralt');
  });

  it('asks for the reason again when the pass is missing, and changes nothing', async () => {
    const caseNumber = waiting;
    const res = await central.post(`/personal/arenden/${caseNumber}/avsluta`, { reason: 'Utan att ha angett skäl för åtkomst' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('action="/personal/atkomst"');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('submitted');
  });
});

describe('access', () => {
  it('keeps everyone but central staff out, the administrator too', async () => {
    for (const email of [DEMO_STAFF.leaderSodermalm, DEMO_STAFF.admin, `p-${randomUUID().slice(0, 8)}@example.org`]) {
      const other = await WebClient.loggedIn(app, stack.deps.db, email);
      expect((await other.get('/personal/arenden')).status).toBe(403);
      expect((await other.get(`/personal/arenden/${waiting}`)).status).toBe(403);
      expect((await other.get(`/personal/arenden/${waiting}/till-ko`)).status).toBe(403);
      expect((await other.post(`/personal/arenden/${waiting}/avsluta`, { reason: 'Försöker utan behörighet' })).status).toBe(403);
    }
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber: waiting } })).status).toBe('submitted');
  });

  it('starts open workflows for the bench that the list shows', async () => {
    const ids = await startOpenWorkflows(stack.deps.temporal, 3, 'inspector-test-bench', [courseId]);
    expect(ids.length).toBe(3);
    await eventually(async () => {
      const html = await listPage(central, `course=${courseId}&status=submitted`);
      expect(casesOn(html).filter((n) => /^KOM-\d{4}-9\d{5}$/.test(n)).length).toBe(3);
    });
  });
});
