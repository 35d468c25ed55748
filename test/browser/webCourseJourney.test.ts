// The web course in real headless Chromium against the whole stack (R4.1, R5.3–R5.4): a parent
// applies to "Komet på webben" through the same form as every course, staff admit the case, the
// parent writes a diary note (a bad one first), and the guide signs module 1 off in the guide
// console in another browser; the parent's open page shows module 2 by htmx polling, without a reload.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { WEB_COURSE_MODULES, WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { decideUpdate, parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { launchChromium, loginViaDevInbox, startWebStack, sv, type WebStack } from './support';

const PARENT_EMAIL = 'webbforalder@example.org';
const PARENT_NAME = 'Maria Andersson';
const CASE_NUMBER = /KOM-\d{4}-\d{6}/;
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const NOTE = 'Vi lekte med lego i tio minuter varje kväll. Han ville inte sluta!';

let web: WebStack;
let browser: Browser;
let parentContext: BrowserContext;
let guideContext: BrowserContext;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchChromium()]);
  [parentContext, guideContext] = await Promise.all(
    [0, 1].map(() => browser.newContext({ baseURL: web.baseUrl, locale: 'sv-SE' })),
  );
  for (const context of [parentContext, guideContext]) context.setDefaultTimeout(15_000);
  mkdirSync(RESULTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** Script errors and CSP violations, so the test fails on any of them. */
function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) into.push(msg.text());
  });
}

describe('web course journey in the browser', () => {
  it('a parent writes in the diary, the guide signs module 1 off, and the open page shows module 2', { timeout: 180_000 }, async () => {
    const db = web.stack.deps.db;
    const course = await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE } });
    const browserErrors: string[] = [];

    // 1. The parent finds the web course in the catalogue and applies through the usual form (R4.1).
    const parent = await parentContext.newPage();
    watchErrors(parent, browserErrors);
    await parent.goto('/kurser');
    await parent.getByLabel(sv('courses.kind')).selectOption({ label: sv('kinds.webCourse') });
    await parent.getByRole('button', { name: sv('courses.search') }).click();
    await parent.waitForURL(/kind=webCourse/);
    await parent.getByRole('link', { name: WEB_COURSE_TITLE, exact: true }).click();
    await parent.getByRole('heading', { level: 1, name: WEB_COURSE_TITLE }).waitFor();
    await parent.getByRole('link', { name: sv('courses.apply') }).click();
    await loginViaDevInbox(parent, PARENT_EMAIL);
    await parent.waitForURL(`${web.baseUrl}/kurser/${course.id}/ansok`);
    await parent.getByLabel(sv('fields.name')).fill(PARENT_NAME);
    await parent.getByLabel(sv('fields.personnummer')).fill('19811218-9876');
    await parent.getByLabel(sv('fields.phone')).fill('070-123 45 67');
    await parent.getByLabel(sv('fields.childAge')).fill('7');
    await parent.getByRole('button', { name: sv('forms.continue'), exact: true }).click();
    await parent.getByRole('heading', { level: 1, name: sv('forms.check.title') }).waitFor();
    await parent.getByRole('checkbox', { name: sv('apply.consent') }).check();
    await parent.getByRole('button', { name: sv('apply.submit') }).click();
    await parent.getByRole('heading', { level: 1, name: sv('confirmation.title') }).waitFor();
    const caseNumber = (await parent.locator('.confirmation .case-number').textContent())?.trim() ?? '';
    expect(caseNumber).toMatch(CASE_NUMBER);
    const panelHeading = parent.getByRole('heading', { level: 2, name: sv('webCourse.title') });
    expect(await panelHeading.count()).toBe(0);

    // From here the parent's page is never reloaded: the marker would be lost.
    await parent.evaluate(() => {
      (globalThis as unknown as { __marker?: number }).__marker = 1;
    });
    let navigations = 0;
    parent.on('framenavigated', (frame) => {
      if (frame === parent.mainFrame()) navigations++;
    });

    // 2. The web course has no group leader: staff decide through the case's decide update, as the
    // staff pages do (the actor is the admin, for the audit trail).
    const adminId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.admin } })).id;
    const handle = web.stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await expect.poll(async () => (await handle.query(statusQuery)).waitingFor, { timeout: 15_000 }).toBe('decision');
    expect(await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: adminId }] })).toMatchObject({ ok: true, status: 'admitted' });

    // 3. Admitted: the web course appears on the open page with module 1 and its text.
    const currentHeading = (n: number) =>
      parent.getByRole('heading', { level: 3, name: sv('webCourse.currentModule', { number: n, title: WEB_COURSE_MODULES[n - 1].title }) });
    await currentHeading(1).waitFor({ timeout: 30_000 });
    await panelHeading.waitFor();
    expect(await parent.locator('#web-course li[data-state="locked"]').count()).toBe(5);
    // caret 'initial': hiding the caret leaves style="" on the fields, which htmx's settle would then
    // copy onto the swapped panel, and the CSP (style-src 'self') rightly refuses inline styles.
    await parent.screenshot({ path: `${RESULTS}webcourse-parent-module1.png`, fullPage: true, caret: 'initial' });

    // An empty note comes back beside the field, and nothing is stored.
    const diary = parent.getByLabel(sv('webCourse.diary.label'));
    await parent.getByRole('button', { name: sv('webCourse.diary.submit') }).click();
    const fieldError = parent.locator('#web-course .field-error .error-text');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain(sv('errors.required'));
    expect(await diary.getAttribute('aria-invalid')).toBe('true');
    expect(await db.diaryNote.count()).toBe(0);

    await diary.fill(NOTE);
    await parent.getByRole('button', { name: sv('webCourse.diary.submit') }).click();
    await parent.getByText(sv('webCourse.diary.saved')).waitFor();
    await parent.locator('#web-course ol.diary').getByText(NOTE).waitFor();
    expect(await db.diaryNote.count()).toBe(1);

    // 4. The guide, in another browser, lands in the console and finds the parent.
    const guide = await guideContext.newPage();
    watchErrors(guide, browserErrors);
    await guide.goto('/logga-in');
    await loginViaDevInbox(guide, DEMO_STAFF.guide);
    await guide.waitForURL(`${web.baseUrl}/guide`);
    await guide.getByRole('heading', { level: 1, name: sv('guide.title') }).waitFor();
    const parentRow = guide.getByRole('row').filter({ has: guide.getByRole('link', { name: caseNumber }) });
    expect(await parentRow.textContent()).toContain(PARENT_NAME);
    await guide.screenshot({ path: `${RESULTS}webcourse-guide-list.png`, fullPage: true });
    await parentRow.getByRole('link', { name: caseNumber }).click();
    await guide.getByRole('heading', { level: 1, name: sv('guide.parentTitle', { name: PARENT_NAME }) }).waitFor();
    await guide.getByText(NOTE).waitFor();

    // Signing off asks first; confirmed, module 2 opens.
    await guide.getByRole('link', { name: sv('guide.signOff.action', { number: 1 }) }).click();
    await guide.getByRole('heading', { level: 1, name: sv('guide.signOff.title', { number: 1 }) }).waitFor();
    expect((await db.application.findUniqueOrThrow({ where: { caseNumber } })).currentModule).toBe(1);
    await guide.getByRole('button', { name: sv('guide.signOff.confirm', { number: 1 }) }).click();
    await guide.getByText(sv('guide.signOff.done', { number: 2 })).waitFor();
    await guide.screenshot({ path: `${RESULTS}webcourse-guide-signed-off.png`, fullPage: true });

    // 5. The parent's open page shows module 2 by itself (the panel polls every 5 s).
    await currentHeading(2).waitFor({ timeout: 20_000 });
    expect(await parent.locator('#web-course li[data-state="done"]').count()).toBe(1);
    expect(await parent.locator('#web-course li[aria-current="step"]').textContent()).toContain(WEB_COURSE_MODULES[1].title);
    expect(await parent.locator('#web-course ol.diary').textContent()).toContain(NOTE);
    expect(await parent.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(navigations).toBe(0);
    expect(browserErrors).toEqual([]);
    await parent.screenshot({ path: `${RESULTS}webcourse-parent-module2.png`, fullPage: true, caret: 'initial' });
  });
});
