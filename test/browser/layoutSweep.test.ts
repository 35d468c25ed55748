// Every page of the page sweep (test/support/sweepPages.ts) in real headless Chromium, for every
// role and language (issue 16, R1.4):
//  - fits a phone and a desktop: at 390 and 1280 px the page never scrolls sideways
//    (document.documentElement.scrollWidth ≤ the viewport); the course cards' text boxes stay in
//    their card and never overlap; a fixed bar (the chat's quick exit) covers no control, at the
//    top or the bottom of the page;
//  - has no WCAG 2.1 A or AA violation that axe-core finds.
// One browser and one tab per role, reused. Citizen pages are checked in every language; a staff page
// is the same markup in the citizen-only languages (shown in Swedish, web/layout/language.ts), so
// it is checked in Swedish and English, and each role's start page in all four. Of the pages that
// differ only in their data (a template per key and language, a survey builder per kind) two each.
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page as Tab } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGS, LANGUAGES, type Lang } from '../../lib/i18n';
import { createApp } from '../../web/app';
import { createSweepCases, loginAs, PAGES, ROLES, type Ids, type Page, type Role } from '../support/sweepPages';
import { WebClient } from '../support/webClient';
import { launchChromium, startWebStack, sv, type WebStack } from './support';

// Functions run in the page use the browser's globals; the project compiles without the DOM library.
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(element: unknown): any; // eslint-disable-line @typescript-eslint/no-explicit-any

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const WIDTHS = [1280, 390] as const;
const SAMPLED = [/^\/personal\/admin\/meddelanden\/(?!caseReceived\/(sv|ar)$)/, /^\/personal\/admin\/enkater\/(?!(sessionEvaluation|courseEvaluation)$)[^/]+$/];

let web: WebStack;
let browser: Browser;
let ids: Ids;
const tabs = new Map<Role, { context: BrowserContext; tab: Tab }>();

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchChromium()]);
  // Log in with the web client (same database and secret), then hand its cookies to the browser.
  const app = createApp(web.stack.deps);
  const parentEmail = `layout-${Date.now()}@example.org`;
  const clients = new Map<Role, WebClient>();
  for (const role of ROLES) {
    const client = new WebClient(app);
    await client.get('/');
    await loginAs(web.stack, client, role, parentEmail);
    clients.set(role, client);
  }
  ids = await createSweepCases(web.stack, clients.get('parent')!, clients.get('central')!);
  for (const role of ROLES) {
    // bypassCSP: axe-core is injected as a script the page's strict policy would refuse.
    const context = await browser.newContext({ baseURL: web.baseUrl, viewport: { width: 1280, height: 900 }, bypassCSP: true });
    context.setDefaultTimeout(15_000);
    const client = clients.get(role)!;
    const cookies = ['komet_session', 'komet_csrf'].flatMap((name) => {
      const value = client.cookie(name);
      return value ? [{ name, value, url: web.baseUrl }] : [];
    });
    await context.addCookies(cookies);
    tabs.set(role, { context, tab: await context.newPage() });
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** Where a page fails to fit: sideways scroll, text out of its card or over other text, a control under a fixed bar. */
function layoutProblems(): string[] {
  const problems: string[] = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) {
    // Name the widest offender, so the message says what to fix.
    let widest = '';
    let right = doc.clientWidth;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > right + 1 && !el.closest('.table-scroll, .visually-hidden, .skip-link')) {
        right = r.right;
        widest = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`;
      }
    }
    problems.push(`scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth} (${widest})`);
  }
  const textRects = (root: any) => {
    const rects: { r: any; text: string }[] = [];
    const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) rects.push({ r, text: node.textContent.trim().slice(0, 30) });
    }
    return rects;
  };
  const cards = [...document.querySelectorAll('.card')];
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    const rects = textRects(card);
    for (const { r, text } of rects) {
      if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`card text outside its card: "${text}"`);
    }
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i].r;
        const b = rects[j].r;
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 2 && overlapY > 2) problems.push(`card text overlaps: "${rects[i].text}" and "${rects[j].text}"`);
      }
    }
  }
  const fixed = [...document.querySelectorAll('body *')].filter((el: any) => {
    const p = getComputedStyle(el).position;
    const r = el.getBoundingClientRect();
    return (p === 'fixed' || p === 'sticky') && r.width > 0 && r.height > 0;
  });
  if (fixed.length) {
    const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(
      (el: any) => !fixed.some((f: any) => f.contains(el)) && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden], .visually-hidden, .skip-link'),
    );
    // A bar at the bottom may hide a control until the page is scrolled to its end, not after.
    for (const bar of fixed) {
      window.scrollTo(0, 0);
      const end = bar.getBoundingClientRect().top > window.innerHeight / 2 ? 'bottom' : 'top';
      window.scrollTo(0, end === 'top' ? 0 : doc.scrollHeight);
      {
        const b = bar.getBoundingClientRect();
        for (const el of controls) {
          const r = el.getBoundingClientRect();
          if (r.bottom <= 0 || r.top >= window.innerHeight) continue;
          if (Math.min(r.right, b.right) - Math.max(r.left, b.left) > 0 && Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top) > 0) {
            problems.push(`fixed ${bar.className || bar.tagName} covers ${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}" at the ${end}`);
          }
        }
      }
    }
    window.scrollTo(0, 0);
  }
  return problems;
}

async function axeViolations(tab: Tab): Promise<string[]> {
  if (!(await tab.evaluate(() => typeof window.axe === 'object'))) await tab.addScriptTag({ path: AXE });
  const violations: { id: string; nodes: { target: string[] }[] }[] = await tab.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ id: v.id, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  });
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/**
 * The pages `role` is checked on in `lang`: its own (200) pages, and for the visitor the page that is
 * not there. The public pages (open to anyone) are checked as the visitor and the parent; staff see
 * them with their own menu, which the start page '/' covers.
 */
function pagesOf(role: Role, lang: Lang): Page[] {
  const staff = role !== 'anonymous' && role !== 'parent';
  return PAGES.filter((p) => {
    const path = p.path(ids);
    if (SAMPLED.some((re) => re.test(path))) return false;
    const mine = p.ok.includes(role) || (role === 'anonymous' && p.ok.length === 0);
    if (!mine) return false;
    if (staff && p.ok.length === ROLES.length && path !== '/') return false;
    // Staff pages in a citizen-only language are the Swedish page; the start page shows its notice.
    return p.citizen || LANGUAGES[lang].scope === 'all' || path === '/personal';
  });
}

describe.each(ROLES)('as %s', (role) => {
  it.each(LANGS)('every page in %s fits 390 and 1280 px and has no WCAG 2.1 A/AA violation', { timeout: 240_000 }, async (lang) => {
    const { context, tab } = tabs.get(role)!;
    await context.addCookies([{ name: 'komet_lang', value: lang, url: web.baseUrl }]);
    const problems: string[] = [];
    for (const page of pagesOf(role, lang)) {
      const path = page.path(ids);
      await tab.setViewportSize({ width: 1280, height: 900 });
      const res = await tab.goto(path, { waitUntil: 'load' });
      if (!res || res.status() >= 500) problems.push(`${path}: ${res?.status()}`);
      // A fragment htmx polls (a case's status) is part of its page, checked there.
      if (!/^<!doctype html>/i.test((await res?.text()) ?? '')) continue;
      for (const width of WIDTHS) {
        if (width !== 1280) await tab.setViewportSize({ width, height: 844 });
        for (const p of await tab.evaluate(layoutProblems)) problems.push(`${path} at ${width}px: ${p}`);
        if (width === 1280) for (const v of await axeViolations(tab)) problems.push(`${path}: ${v}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the survey builder in the browser', () => {
  it('adds, fills in and publishes a question in place (htmx), the page never reloading', { timeout: 120_000 }, async () => {
    const { context, tab } = tabs.get('admin')!;
    await context.addCookies([{ name: 'komet_lang', value: 'sv', url: web.baseUrl }]);
    await tab.setViewportSize({ width: 390, height: 844 });
    await tab.goto('/personal/admin/enkater/progress');
    await tab.evaluate(() => (window.__sameDocument = true));
    const before = await tab.locator('li.builder-question').count();
    await tab.getByRole('button', { name: sv('admin.surveys.builder.types.text'), exact: true }).click();
    const added = tab.locator(`li#q${before}`);
    await added.waitFor();
    // Swapped in place: the same document, with focus on the new question.
    expect(await tab.evaluate(() => window.__sameDocument)).toBe(true);
    expect(await tab.evaluate(() => document.activeElement?.id)).toBe(`q${before}`);
    await added.getByLabel(sv('admin.surveys.builder.fields.text')).fill('Vad tar du med dig?');
    // Published without its text first: the message beside the field, still in place.
    await added.getByLabel(sv('admin.surveys.builder.fields.text')).fill('');
    await tab.getByRole('button', { name: sv('admin.surveys.publish') }).click();
    await tab.locator(`#f-q${before}_text-error`).waitFor();
    expect(await tab.evaluate(() => window.__sameDocument)).toBe(true);
    await tab.locator(`#f-q${before}_text`).fill('Vad tar du med dig?');
    await tab.getByRole('button', { name: sv('admin.surveys.publish') }).click();
    await tab.waitForURL(/\/personal\/admin\/enkater\/progress\?version=\d+$/);
    const version = Number(new URL(tab.url()).searchParams.get('version'));
    const stored = await web.stack.deps.db.surveyDefinition.findUniqueOrThrow({ where: { kind_version: { kind: 'progress', version } } });
    expect((stored.questions as { text: string }[]).at(-1)!.text).toBe('Vad tar du med dig?');
  });
});
