// The parent's journey in real headless Chromium against the whole stack (real Temporal, PostgreSQL,
// worker): log in by e-mail link, apply, see the case; a group leader admits it in another browser;
// the parent's open page turns to "Antagen" with the session dates by htmx polling, without a reload.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { formatDate } from '../../lib/time';
import { launchChromium, loginViaDevInbox, startWebStack, sv, type WebStack } from './support';

const COURSE_TITLE = 'Komet för föräldrar till barn 3–11 år';
const PARENT_EMAIL = 'maria.andersson@example.org';
const CASE_NUMBER = /KOM-\d{4}-\d{6}/;
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const SCREENSHOT = `${RESULTS}parent-admitted.png`;

let web: WebStack;
let browser: Browser;
let parentContext: BrowserContext;
let leaderContext: BrowserContext;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchChromium()]);
  parentContext = await browser.newContext({ baseURL: web.baseUrl, locale: 'sv-SE' });
  leaderContext = await browser.newContext({ baseURL: web.baseUrl, locale: 'sv-SE' });
  for (const context of [parentContext, leaderContext]) context.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** The texts an input's aria-describedby points at (hint and error beside the field). */
async function describedBy(page: Page, label: string): Promise<string> {
  const ids = (await page.getByLabel(label, { exact: false }).getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map((id) => page.locator(`#${id}`).textContent()));
  return texts.join(' ');
}

describe('parent journey in the browser', () => {
  it('applies, is admitted by the group leader and sees it live on the open case page', { timeout: 120_000 }, async () => {
    const db = web.stack.deps.db;
    const course = await db.course.findFirstOrThrow({
      where: { title: COURSE_TITLE, district: { slug: 'sodermalm' } },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    expect(course.sessions).toHaveLength(10);

    // 1. Find the Södermalm course in the catalogue; applying needs a login first.
    const parent = await parentContext.newPage();
    // No script errors or CSP violations anywhere on the way (htmx runs under script-src 'self').
    const browserErrors: string[] = [];
    parent.on('pageerror', (err) => browserErrors.push(err.message));
    parent.on('console', (msg) => {
      // Failed loads are checked by URL below (the form's 422 is by design).
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) browserErrors.push(msg.text());
    });
    const failedResponses: string[] = [];
    parent.on('response', (response) => {
      if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    await parent.goto('/kurser');
    await parent.getByLabel(sv('courses.district')).selectOption({ label: 'Södermalm' });
    await parent.getByRole('button', { name: sv('courses.search') }).click();
    await parent.waitForURL(/district=sodermalm/);
    await parent
      .getByRole('article')
      .filter({ hasText: 'Södermalm' })
      .getByRole('link', { name: COURSE_TITLE, exact: true })
      .click();
    await parent.getByRole('heading', { level: 1, name: COURSE_TITLE }).waitFor();
    expect(parent.url()).toBe(`${web.baseUrl}/kurser/${course.id}`);
    await parent.getByRole('link', { name: sv('courses.apply') }).click();
    await parent.waitForURL(/\/logga-in\?next=/);
    expect(new URL(parent.url()).searchParams.get('next')).toBe(`/kurser/${course.id}/ansok`);

    await loginViaDevInbox(parent, PARENT_EMAIL);
    await parent.waitForURL(`${web.baseUrl}/kurser/${course.id}/ansok`);
    await parent.getByRole('heading', { level: 1, name: sv('apply.title') }).waitFor();

    // 2. A wrong checksum comes back beside the field and in the error summary; the rest is kept.
    await parent.getByLabel(sv('fields.name')).fill('Maria Andersson');
    await parent.getByLabel(sv('fields.personnummer')).fill('19811218-9875');
    await parent.getByLabel(sv('fields.phone')).fill('070-123 45 67');
    await parent.getByLabel(sv('fields.childAge')).fill('7');
    await parent.getByRole('button', { name: sv('forms.continue'), exact: true }).click();

    const summary = parent.getByRole('alert').filter({ has: parent.getByRole('heading', { name: sv('errors.summary') }) });
    await summary.waitFor();
    const checksum = sv('errors.personnummer.checksum');
    const summaryLink = summary.getByRole('link', { name: checksum });
    expect(await summaryLink.getAttribute('href')).toBe('#f-personnummer');
    expect(await summary.getByRole('link').count()).toBe(1);
    const personnummer = parent.getByLabel(sv('fields.personnummer'));
    expect(await personnummer.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(parent, sv('fields.personnummer'))).toContain('Personnumret stämmer inte');
    // The message sits in the field's own block, right above its input.
    const field = parent.locator('.field.field-error').filter({ has: personnummer });
    expect(await field.locator('.error-text').textContent()).toContain(checksum);
    // Everything else typed is still there, and only the wrong field is marked.
    expect(await personnummer.inputValue()).toBe('19811218-9875');
    expect(await parent.getByLabel(sv('fields.name')).inputValue()).toBe('Maria Andersson');
    expect(await parent.getByLabel(sv('fields.phone')).inputValue()).toBe('070-123 45 67');
    expect(await parent.getByLabel(sv('fields.childAge')).inputValue()).toBe('7');
    expect(await parent.locator('[aria-invalid="true"]').count()).toBe(1);
    expect(await db.application.count()).toBe(0);
    mkdirSync(RESULTS, { recursive: true });
    await parent.screenshot({ path: `${RESULTS}parent-form-error.png`, fullPage: true });

    // Corrected, the answers are shown to check, each with its change link (issue 16).
    await personnummer.fill('19811218-9876');
    await parent.getByRole('button', { name: sv('forms.continue'), exact: true }).click();
    await parent.getByRole('heading', { level: 1, name: sv('forms.check.title') }).waitFor();
    expect(parent.url()).toBe(`${web.baseUrl}/kurser/${course.id}/ansok/kontrollera`);
    expect(await parent.locator('[data-answer="personnummer"]').textContent()).toBe('19811218-9876');
    // A change link leads back to the field, the answers kept; continuing returns here.
    await parent.getByRole('link', { name: `${sv('forms.check.change')} ${sv('fields.childAge')}` }).click();
    await parent.waitForURL(`${web.baseUrl}/kurser/${course.id}/ansok#f-childAge`);
    expect(await parent.getByLabel(sv('fields.name')).inputValue()).toBe('Maria Andersson');
    await parent.getByLabel(sv('fields.childAge')).fill('8');
    await parent.getByRole('button', { name: sv('forms.continue'), exact: true }).click();
    await parent.getByRole('heading', { level: 1, name: sv('forms.check.title') }).waitFor();
    expect(await parent.locator('[data-answer="childAge"]').textContent()).toBe(sv('forms.check.years', { age: 8 }));
    expect(await db.application.count()).toBe(0);
    await parent.screenshot({ path: `${RESULTS}parent-check-answers.png`, fullPage: true });

    // Sent with the consent, it lands on the case with the confirmation.
    await parent.getByRole('checkbox', { name: sv('apply.consent') }).check();
    await parent.getByRole('button', { name: sv('apply.submit') }).click();
    await parent.getByRole('heading', { level: 1, name: sv('confirmation.title') }).waitFor();
    expect(parent.url()).toMatch(new RegExp(`/mina-arenden/${CASE_NUMBER.source}\\?ny=1$`));
    const caseNumber = (await parent.locator('.confirmation .case-number').textContent())?.trim() ?? '';
    expect(caseNumber).toMatch(new RegExp(`^${CASE_NUMBER.source}$`));
    expect(await parent.getByRole('main').textContent()).toContain(caseNumber);
    const statusHeading = (status: string) =>
      parent.getByRole('heading', { level: 2, name: `${sv('myCases.status')}: ${sv(`status.${status}`)}` });
    await statusHeading('submitted').waitFor();
    expect(await parent.getByRole('table', { name: sv('myCases.sessions') }).count()).toBe(0);

    // The page must stay the same document from here on: a reload would lose the marker.
    await parent.evaluate(() => {
      (globalThis as unknown as { __marker?: number }).__marker = 1;
    });
    let navigations = 0;
    parent.on('framenavigated', (frame) => {
      if (frame === parent.mainFrame()) navigations++;
    });
    const polls: string[] = [];
    parent.on('request', (request) => {
      if (request.url().endsWith(`/mina-arenden/${caseNumber}/status`)) polls.push(request.headers()['hx-request'] ?? '');
    });

    // 3. The group leader, in another browser context, admits the case from the list.
    const leader = await leaderContext.newPage();
    await leader.goto('/');
    await leader.getByRole('navigation', { name: sv('nav.label') }).getByRole('link', { name: sv('nav.login') }).click();
    await loginViaDevInbox(leader, DEMO_STAFF.leaderSodermalm);
    await leader.waitForURL((url) => url.pathname !== '/logga-in/verifiera' && url.pathname !== '/logga-in');
    // Staff land on their start page. KNOWN BUG (web/auth/routes.ts:16): GET /logga-in without `next`
    // fills the form's hidden `next` with safeNext()'s default '/mina-arenden', so the role-based
    // fallback of POST /logga-in/verifiera (line 50) never applies and staff land on an empty
    // "Mina ärenden". Asserted softly so the rest of the journey still runs and reports.
    expect.soft(new URL(leader.url()).pathname, 'staff land on /personal after logging in from "Logga in"').toBe('/personal');
    if (new URL(leader.url()).pathname !== '/personal') await leader.goto('/personal');
    await leader.getByRole('heading', { level: 1, name: sv('staff.title') }).waitFor();
    await leader.getByRole('link', { name: sv('staff.applications.title'), exact: true }).click();
    await leader.getByRole('heading', { level: 1, name: sv('staff.applications.title') }).waitFor();
    const row = leader.getByRole('row').filter({ has: leader.getByRole('link', { name: caseNumber }) });
    await row.getByRole('button', { name: sv('staff.applications.admitCase', { caseNumber }) }).click();
    await leader.getByText(sv('staff.outcome.admitted', { caseNumber })).waitFor();
    expect((await db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('admitted');
    await leader.screenshot({ path: `${RESULTS}leader-admitted.png`, fullPage: true });

    // 4. The parent's open page shows the decision by itself (htmx polls every 4 s).
    await statusHeading('admitted').waitFor({ timeout: 15_000 });
    const firstDate = formatDate(course.sessions[0].startsAt, 'sv');
    const nextSession = parent.locator('.next-session');
    await expect.poll(() => nextSession.textContent(), { timeout: 15_000 }).toContain(firstDate);
    expect(await nextSession.textContent()).toContain(sv('myCases.nextSession'));
    const sessions = parent.getByRole('table', { name: sv('myCases.sessions') });
    expect(await sessions.locator('tbody').getByRole('row').count()).toBe(10);
    expect(await sessions.locator('tbody tr').first().textContent()).toContain(firstDate);
    expect(await sessions.locator('tbody tr').last().textContent()).toContain(formatDate(course.sessions[9].startsAt, 'sv'));
    expect(await parent.getByText(sv('statusText.admitted')).count()).toBe(1);
    expect(await parent.getByRole('listitem').filter({ hasText: sv('events.decision.admitted') }).count()).toBe(1);

    // Never reloaded: the same document, updated by htmx fragment requests.
    expect(await parent.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(navigations).toBe(0);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((h) => h === 'true')).toBe(true);
    // The confirmation from the first render is still there (only the status panel was swapped).
    expect(await parent.getByRole('heading', { level: 1, name: sv('confirmation.title') }).count()).toBe(1);
    expect(await parent.locator('#case-status').count()).toBe(1);
    expect(browserErrors).toEqual([]);
    expect(failedResponses).toEqual([`422 POST /kurser/${course.id}/ansok`]);

    // 5. Evidence for a human look.
    await parent.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
