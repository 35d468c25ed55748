// A professional's enrolment in real headless Chromium against the whole stack (R6, R7.3): the
// professional applies; the manager opens the consent link from the dev inbox (no login) and
// approves; the instructor admits into a supervision group; the applicant's open "Mina ärenden"
// page shows the admission without a reload.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { launchChromium, loginViaDevInbox, startWebStack, sv, type WebStack } from './support';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const APPLICANT = 'pia.proffs@example.org';
const MANAGER = 'chef.forskolan@example.org';

let web: WebStack;
let browser: Browser;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('professional enrolment in the browser', () => {
  it('applies, the manager approves from the e-mailed link, the instructor admits, the applicant sees it live', { timeout: 150_000 }, async () => {
    const training = await web.stack.deps.db.course.findFirstOrThrow({ where: { kind: 'training' } });
    const contexts = await Promise.all([0, 1, 2].map(() => browser.newContext({ baseURL: web.baseUrl, locale: 'sv-SE' })));
    for (const c of contexts) c.setDefaultTimeout(20_000);
    const [applicantCtx, managerCtx, instructorCtx] = contexts;

    // 1. The professional finds the training and enrols (login first).
    const applicant = await applicantCtx.newPage();
    await applicant.goto(`/utbildningar/${training.id}/anmal`);
    await loginViaDevInbox(applicant, APPLICANT);
    await applicant.waitForURL((url) => url.pathname === `/utbildningar/${training.id}/anmal`);
    await applicant.locator('input[name="name"]').fill('Pia Proffs');
    await applicant.locator('input[name="workplace"]').fill('Förskolan Solen');
    await applicant.locator('input[name="managerName"]').fill('Chef Chefsson');
    await applicant.locator('input[name="managerEmail"]').fill(MANAGER);
    // The answers are shown to check first; the consent is given there (issue 16).
    await applicant.locator('button[name="step"][value="check"]').click();
    await applicant.waitForURL((url) => url.pathname === `/utbildningar/${training.id}/anmal/kontrollera`);
    expect(await applicant.locator('[data-answer="managerEmail"]').textContent()).toBe(MANAGER);
    await applicant.locator('input[name="consent"]').check();
    await applicant.locator('button[name="step"][value="send"]').click();
    await applicant.waitForURL((url) => /^\/mina-arenden\/KOM-\d{4}-\d{6}$/.test(url.pathname));
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(applicant.url())![0];
    await expect.poll(() => applicant.locator('[data-status]').getAttribute('data-status')).toBe('awaitingConsent');

    // 2. The manager opens the link from the dev inbox, without logging in, and approves.
    // The workflow sends the consent e-mail after the status shows, and the inbox page lists what
    // is there when it loads: wait for the e-mail first.
    await expect
      .poll(() => web.stack.deps.db.notification.count({ where: { recipient: MANAGER, body: { contains: '/samtycke/' } } }), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const manager = await managerCtx.newPage();
    await manager.goto('/dev/inbox');
    const mail = manager.locator('article.mail').filter({ hasText: MANAGER }).first();
    await mail.locator('a[href*="/samtycke/"]').first().click();
    await manager.waitForURL(/\/samtycke\//);
    await expect.poll(() => manager.content()).toContain('Pia Proffs');
    await manager.locator('input[name="decision"][value="approved"]').check();
    await manager.locator('form button[type="submit"]').last().click();
    await expect.poll(async () => (await web.stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('consented');

    // 3. The instructor creates a supervision group and admits the applicant into it.
    const instructor = await instructorCtx.newPage();
    await instructor.goto('/logga-in');
    await loginViaDevInbox(instructor, DEMO_STAFF.instructor);
    await instructor.waitForURL((url) => url.pathname.startsWith('/instruktor'));
    await instructor.goto(`/instruktor/utbildningar/${training.id}`);
    await instructor.locator('input[name="name"]').fill('Grupp A');
    await instructor.locator('form[action$="/grupper"] button[type="submit"]').click();
    await instructor.goto(`/instruktor/utbildningar/${training.id}/ansokningar/${caseNumber}`);
    await instructor.locator('input[name="groupId"]').first().check();
    await instructor.locator('form:has(input[name="groupId"]) button[type="submit"]').click();

    // 4. The applicant's open page turns to "Antagen" with the training's dates, without a reload.
    await expect
      .poll(() => applicant.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('admitted');
    await expect.poll(() => applicant.locator('table.sessions').count()).toBe(1);
    expect(await applicant.content()).toContain(sv('status.admitted'));
    mkdirSync(RESULTS, { recursive: true });
    await applicant.screenshot({ path: `${RESULTS}enrolment-admitted.png`, fullPage: true, caret: 'initial' });
  });
});
