// Languages and read aloud in real headless Chromium (R1.3–R1.5, issue 16): a parent switches the
// application form to Arabic and it mirrors (labels start at the right with their inputs, the error
// summary and the error bar sit right, tables run right to left), then to easy-to-read Swedish;
// "Lyssna" reads the main content aloud with the browser's speech synthesis (stubbed in the page:
// headless Chromium has no voices), by keyboard, marking the block being read; without a voice for
// the page's language it says so.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../lib/i18n';
import { launchChromium, loginViaDevInbox, startWebStack, type WebStack } from './support';

// The functions that run inside the page (page.evaluate, addInitScript) use the browser's globals;
// the project compiles without the DOM library, so they are declared here, as loosely as that needs.
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(element: unknown): any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ar = translator('ar');
const ll = translator('lattlast');
const PARENT_EMAIL = 'amal.haddad@example.org';
/** Screenshots for a person to look at (not compared): the Arabic form with errors, a page being read. */
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let web: WebStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let courseId: string;
const browserErrors: string[] = [];

/** The page's speech synthesis, as a test double: records what it is asked to say; a Swedish voice only. */
function stubSpeech(): void {
  type Utterance = { text: string; lang: string; voice: { name: string; lang: string } | null; onend: (() => void) | null };
  const log = { spoken: [] as { text: string; lang: string; voice: string | null }[], calls: [] as string[], current: null as Utterance | null };
  const voices = [{ name: 'Alva', lang: 'sv-SE', localService: true, default: true, voiceURI: 'Alva' }];
  class FakeUtterance {
    lang = '';
    voice = null;
    onend = null;
    onerror = null;
    constructor(public text: string) {}
  }
  const synth = {
    getVoices: () => voices,
    speak(u: Utterance) {
      log.spoken.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null });
      log.current = u;
    },
    pause: () => log.calls.push('pause'),
    resume: () => log.calls.push('resume'),
    cancel: () => log.calls.push('cancel'),
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: FakeUtterance, configurable: true, writable: true });
  Object.assign(window, {
    __speech: log,
    /** The voice finished the block it was given. */
    __finishUtterance: () => {
      const u = log.current;
      log.current = null;
      u?.onend?.();
    },
  });
}

const speech = (): Promise<{ spoken: { text: string; lang: string; voice: string | null }[]; calls: string[] }> => page.evaluate(() => window.__speech);
const htmlAttrs = () => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchChromium()]);
  context = await browser.newContext({ baseURL: web.baseUrl, locale: 'sv-SE', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(stubSpeech);
  page = await context.newPage();
  page.on('pageerror', (err) => browserErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) browserErrors.push(msg.text());
  });
  const course = await web.stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv', kind: 'groupCourse' } });
  courseId = course.id;
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('languages in the browser', () => {
  it('switches the application form to Arabic, right to left, with the layout mirrored', { timeout: 120_000 }, async () => {
    await page.goto(`/kurser/${courseId}/ansok`);
    await loginViaDevInbox(page, PARENT_EMAIL);
    await page.waitForURL(`${web.baseUrl}/kurser/${courseId}/ansok`);
    expect(await htmlAttrs()).toEqual({ lang: 'sv', dir: 'ltr' });

    await page.getByRole('button', { name: 'العربية' }).click();
    await page.getByRole('heading', { level: 1, name: ar('apply.title') }).waitFor();
    expect(await htmlAttrs()).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(page.url()).toBe(`${web.baseUrl}/kurser/${courseId}/ansok`);
    const person = await web.stack.deps.db.person.findUniqueOrThrow({ where: { email: PARENT_EMAIL } });
    expect(person.language).toBe('ar');

    // A field: the label's text starts where its input starts, at the right edge of the field.
    const field = await page.evaluate(() => {
      const input = document.getElementById('f-name')!;
      const box = input.closest('.field')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('label[for="f-name"]')!);
      const text = range.getBoundingClientRect();
      const i = input.getBoundingClientRect();
      return { fieldRight: box.right, fieldLeft: box.left, inputRight: i.right, inputLeft: i.left, textRight: text.right, textLeft: text.left };
    });
    expect(Math.abs(field.inputRight - field.fieldRight)).toBeLessThan(2);
    expect(Math.abs(field.textRight - field.inputRight)).toBeLessThan(3);
    expect(field.textLeft).toBeGreaterThan(field.inputLeft + (field.inputRight - field.inputLeft) / 2);
    expect(field.inputLeft - field.fieldLeft).toBeGreaterThan(20); // the input does not span the field: its start side shows

    // Send it empty: the error summary reads from the right, and each field's red bar is on the right.
    await page.getByRole('button', { name: ar('forms.continue'), exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('heading', { level: 2 }).textContent()).toBe(ar('errors.summary'));
    const layout = await page.evaluate(() => {
      const box = document.querySelector('.error-summary')!;
      const s = getComputedStyle(box);
      const inner = box.getBoundingClientRect().right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight);
      const range = document.createRange();
      range.selectNodeContents(box.querySelector('h2')!);
      const link = box.querySelector('li a')!.getBoundingClientRect();
      const bar = getComputedStyle(document.querySelector('.field-error')!);
      return {
        innerRight: inner,
        headingRight: range.getBoundingClientRect().right,
        linkRight: link.right,
        barRight: bar.borderRightWidth,
        barLeft: bar.borderLeftWidth,
        padRight: bar.paddingRight,
      };
    });
    expect(Math.abs(layout.headingRight - layout.innerRight)).toBeLessThan(3);
    expect(layout.linkRight).toBeGreaterThan(layout.innerRight - 60); // list items start at the right (marker inside the padding)
    expect(layout.barRight).toBe('4px');
    expect(layout.barLeft).toBe('0px');
    expect(layout.padRight).toBe('12px');
    await expect(page.getByText(ar('errors.applicant.nameRequired')).first().isVisible()).resolves.toBe(true);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}arabic-application-errors.png`, fullPage: true });

    // A table runs right to left: the first column is at the right, its text aligned to the start.
    await page.goto(`/kurser/${courseId}`);
    const table = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('table thead th')].map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const padding = parseFloat(getComputedStyle(th).paddingRight);
        return { left: th.getBoundingClientRect().left, right: th.getBoundingClientRect().right - padding, textRight: range.getBoundingClientRect().right };
      });
      return cells;
    });
    expect(table.length).toBe(3);
    expect(table[0].left).toBeGreaterThan(table[1].left);
    expect(table[1].left).toBeGreaterThan(table[2].left);
    for (const cell of table) expect(Math.abs(cell.textRight - cell.right)).toBeLessThan(2);
  });

  it('switches to easy-to-read Swedish: lang="sv", left to right, in simple words', { timeout: 60_000 }, async () => {
    await page.goto(`/kurser/${courseId}/ansok`);
    await page.getByRole('button', { name: 'Lättläst svenska' }).click();
    await page.getByRole('heading', { level: 1, name: ll('apply.title') }).waitFor();
    expect(await htmlAttrs()).toEqual({ lang: 'sv', dir: 'ltr' });
    expect(await page.locator('.language-current').textContent()).toBe('Lättläst svenska');
    expect(await page.getByText(ll('apply.step3').split('. ')[0]).count()).toBeGreaterThan(0);
  });

  it('reads the main content aloud by keyboard, marking the block being read; pauses, resumes and stops', { timeout: 60_000 }, async () => {
    await page.goto('/');
    const toggle = page.locator('.read-aloud-toggle');
    await toggle.waitFor();
    expect(await toggle.textContent()).toContain(ll('readAloud.listen'));
    // By keyboard: Tab from the top reaches "Lyssna" right after the skip link.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('read-aloud-toggle'))).toBe(true);
    await page.keyboard.press('Enter');

    await page.locator('.read-aloud-current').waitFor();
    const h1 = (await page.locator('main h1').textContent())!.trim();
    expect((await speech()).spoken[0]).toEqual({ text: h1, lang: 'sv-SE', voice: 'Alva' });
    expect(await page.locator('main h1').evaluate((el) => el.classList.contains('read-aloud-current'))).toBe(true);
    expect(await page.locator('.read-aloud-status').textContent()).toBe(ll('readAloud.reading'));
    await page.screenshot({ path: `${RESULTS}read-aloud-easy-swedish.png` });
    // The mark is plain to see: not only a colour (an outline).
    expect(await page.locator('.read-aloud-current').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');

    // Pause and resume with the same button, still by keyboard.
    expect(await toggle.textContent()).toContain(ll('readAloud.pause'));
    await page.keyboard.press('Enter');
    expect((await speech()).calls).toContain('pause');
    expect(await page.locator('.read-aloud-status').textContent()).toBe(ll('readAloud.paused'));
    expect(await toggle.textContent()).toContain(ll('readAloud.resume'));
    await page.keyboard.press('Enter');
    expect((await speech()).calls).toContain('resume');

    // The voice finishes block after block: the next one is marked, until the page is done.
    await page.evaluate(() => window.__finishUtterance());
    expect(await page.locator('main .read-aloud-current').evaluate((el) => el.tagName)).toBe('P');
    for (let i = 0; i < 200 && (await page.locator('.read-aloud-current').count()) > 0; i++) {
      await page.evaluate(() => window.__finishUtterance());
    }
    expect(await page.locator('.read-aloud-status').textContent()).toBe(ll('readAloud.done'));
    const spoken = (await speech()).spoken.map((s) => s.text);
    for (const key of ['home.lead', 'home.how1', 'home.how2', 'home.how3', 'chat.home.title']) expect(spoken).toContain(ll(key));
    // The main content only: not the menu, the language choice or the footer.
    expect(spoken.join(' ')).not.toContain(ll('footer.text'));
    expect(spoken.join(' ')).not.toContain(ll('nav.courses'));
    expect(spoken.join(' ')).not.toContain('Lättläst svenska');

    // Escape stops a reading at once.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator('.read-aloud-current').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('.read-aloud-current').count()).toBe(0);
    expect((await speech()).calls).toContain('cancel');
    expect(await page.locator('.read-aloud-status').textContent()).toBe(ll('readAloud.stopped'));
    expect(await page.locator('.read-aloud-stop').isHidden()).toBe(true);
  });

  it('says so where the browser has no voice for the language, and reads nothing', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'العربية' }).click();
    await page.getByRole('heading', { level: 1, name: ar('home.title') }).waitFor();
    const before = (await speech()).spoken.length;
    await page.getByRole('button', { name: ar('readAloud.listen') }).click();
    await page.getByRole('status').filter({ hasText: ar('readAloud.noVoice') }).waitFor();
    expect((await speech()).spoken.length).toBe(before);
    expect(await page.locator('.read-aloud-current').count()).toBe(0);
  });

  it('fits a phone: the language choice and "Lyssna" wrap, no page scrolls sideways, in either direction', { timeout: 60_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const lang of ['ar', 'lattlast', 'en']) {
      for (const path of [`/?lang=${lang}`, `/kurser/${courseId}/ansok?lang=${lang}`, `/om/kakor?lang=${lang}`, `/om/personuppgifter?lang=${lang}`]) {
        await page.goto(path);
        await page.locator('.read-aloud-toggle').waitFor();
        const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
        expect(scroll, path).toBeLessThanOrEqual(width);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(browserErrors).toEqual([]);
  });
});
