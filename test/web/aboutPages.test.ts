// The pages an authority must have (R1.4, issue 16): the accessibility statement in Digg's
// structure, the privacy page with the retention the archive run really uses, and the cookie page
// that lists every cookie the app sets; all three linked from the footer of every page, in every
// language.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArchiveRetention } from '../../lib/archive/retention';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { openingState } from '../../lib/chat/openingHours';
import { LANGS, LANGUAGES, translator } from '../../lib/i18n';
import { DEMO_STAFF } from '../../prisma/seed';
import { COOKIES } from '../../web/about/cookies';
import { createApp } from '../../web/app';
import type { AppEnv } from '../../web/context';
import { html, sv } from '../support/text';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const page = async (path: string, client = new WebClient(app)) => {
  const res = await client.get(path);
  return { status: res.status, html: await res.text() };
};

describe('the footer of every page', () => {
  // Staff pages and the chat are shown in Swedish in the citizen-only languages; error pages speak the visitor's language.
  const PATHS = [
    { path: '/', citizen: true },
    { path: '/kurser', citizen: true },
    { path: '/mina-arenden', citizen: true },
    { path: '/om/kakor', citizen: true },
    { path: '/finns-inte', citizen: true },
    { path: '/personal/admin', citizen: false },
    { path: '/chatt', citizen: false },
  ];

  it.each(LANGS)('links the accessibility statement, the privacy page and the cookie page in %s', async (lang) => {
    const admin = new WebClient(app);
    await admin.get(`/?lang=${lang}`);
    await admin.login(stack.deps.db, DEMO_STAFF.admin);
    for (const { path, citizen } of PATHS) {
      const body = await (await admin.get(path)).text();
      const footer = /<footer[\s\S]*<\/footer>/.exec(body)![0];
      const t = translator(citizen || LANGUAGES[lang].scope === 'all' ? lang : 'sv');
      for (const [href, key] of [
        ['/om/tillganglighet', 'footer.links.accessibility'],
        ['/om/personuppgifter', 'footer.links.privacy'],
        ['/om/kakor', 'footer.links.cookies'],
      ]) {
        expect(footer, `${path} in ${lang}`).toMatch(new RegExp(`<a href="${href}"[^>]*>${html(t(key)).replace(/[()]/g, '\\$&')}</a>`));
      }
    }
  });
});

describe('the accessibility statement', () => {
  it("follows Digg's structure: compliance, what is not accessible and why, another way, reporting, supervision with Digg's form, method and date", async () => {
    const { status, html: body } = await page('/om/tillganglighet');
    expect(status).toBe(200);
    const headings = [...body.matchAll(/<h[23][^>]*>([\s\S]*?)<\/h[23]>/g)].map((m) => m[1].trim());
    expect(headings).toEqual(
      [
        'howTitle', 'otherWayTitle', 'reportTitle', 'supervisionTitle', 'technicalTitle', 'notAccessibleTitle',
        'nonComplianceTitle', 'burdenTitle', 'outOfScopeTitle', 'methodTitle',
      ].map((k) => html(sv(`about.accessibility.${k}`))),
    );
    expect(body).toContain(html(sv('about.accessibility.compliance.partial')));
    expect(body).toContain(html(sv('about.accessibility.gaps.pdf.text')));
    expect(body).toContain('<a href="https://www.digg.se/tdosanmalan">');
    expect(body).toContain('href="mailto:komet@stockholm.se"');
    expect(body).toContain(html(sv('about.accessibility.assessed', { date: 'måndag 7 december 2026' })));
  });

  it.each(['lattlast', 'ar', 'en'])('is there in %s, in that language', async (lang) => {
    const { html: body } = await page(`/om/tillganglighet?lang=${lang}`);
    const t = translator(lang);
    expect(body).toContain(`<h1>${html(t('about.accessibility.title'))}</h1>`);
    expect(body).toContain(html(t('about.accessibility.otherWay')));
    expect(body).toContain('<a href="https://www.digg.se/tdosanmalan">');
  });
});

describe('the privacy page', () => {
  it('shows for each case kind the retention the archive run uses, and follows a change of it', async () => {
    const rowOf = (body: string, kind: string) => new RegExp(`<tr data-kind="${kind}">([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '';
    let body = (await page('/om/personuppgifter')).html;
    for (const kind of ['groupCourse', 'webCourse', 'training']) {
      expect(rowOf(body, kind)).toContain(html(sv(`kinds.${kind}`)));
      expect(rowOf(body, kind)).toContain(html(sv('about.privacy.retention.months', { months: 24 })));
    }
    await saveArchiveRetention(stack.deps.db, { retentionMonths: 18 }, null);
    await saveChatSettings(stack.deps.db, { retentionMs: 30 * 24 * 3600 * 1000 }, null);
    body = (await page('/om/personuppgifter')).html;
    for (const kind of ['groupCourse', 'webCourse', 'training']) expect(rowOf(body, kind)).toContain(html(sv('about.privacy.retention.months', { months: 18 })));
    expect(rowOf(body, 'chat')).toContain(html(sv('about.privacy.retention.chatDays.other', { n: 30 })));
    await saveChatSettings(stack.deps.db, { retentionMs: 0 }, null);
    expect(rowOf((await page('/om/personuppgifter')).html, 'chat')).toContain(html(sv('about.privacy.retention.chatAtOnce')));
    // Purposes, legal basis, rights and contact.
    for (const key of ['purposesTitle', 'legalTitle', 'rightsTitle', 'contactTitle']) expect(body).toContain(html(sv(`about.privacy.${key}`)));
    expect(body).toContain('<a href="https://www.imy.se">');
  });
});

// ---- the cookie page lists every cookie the app sets ------------------------------------------

/** Every source file that sets a cookie. The tour below makes each of them set its cookies. */
const COOKIE_SETTERS = ['web/auth/loginCookies.ts', 'web/chat/routes.ts', 'web/layout/language.ts', 'web/security/csrf.ts', 'web/security/signedCookie.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const allWeek = (ranges: ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])) as ChatSettings['weekly'];

/** Drives an app through everything that sets cookies (language, form, login, chat) and returns the names set. */
async function cookiesSetOnTour(tourApp: ReturnType<typeof createApp>): Promise<Set<string>> {
  const names = new Set<string>();
  const recording = {
    request: async (...args: Parameters<typeof tourApp.request>) => {
      const res = await tourApp.request(...args);
      for (const line of res.headers.getSetCookie()) names.add(line.split('=')[0].trim());
      return res;
    },
  } as unknown as Hono<AppEnv>;
  const visitor = new WebClient(recording);
  await visitor.get('/');
  await visitor.get('/?lang=en');
  await visitor.post('/sprak', { lang: 'ar', next: '/' });
  await visitor.login(stack.deps.db, `kakor-${Date.now()}@example.org`);
  await visitor.get('/mina-arenden');
  await visitor.post('/logga-ut', {});
  // The chat while it is closed: the visitor is counted at the closed notice once today.
  await saveChatSettings(stack.deps.db, { weekly: allWeek([]), exceptions: [] }, null);
  await visitor.get('/chatt');
  const settings = await saveChatSettings(stack.deps.db, { weekly: allWeek([{ from: '00:00', to: '23:59' }]), exceptions: [] }, null);
  if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000));
  await visitor.get('/chatt');
  const started = await visitor.post('/chatt/starta', {});
  expect(started.status).toBe(303);
  await visitor.post('/chatt/avsluta', { confirm: 'yes' });
  return names;
}

describe('the cookie page', () => {
  it('lists each cookie with what it does and how long it is kept', async () => {
    const { html: body } = await page('/om/kakor');
    for (const cookie of COOKIES) {
      expect(body).toContain(`<code dir="ltr" data-cookie-name>${cookie.name}</code>`);
      expect(body).toContain(html(sv(`about.cookies.list.${cookie.key}.purpose`)));
    }
    expect(body).toContain(html(sv('about.cookies.list.session.lifetime', { minutes: 30, hours: 12 })));
    expect(body).toContain(html(sv('about.cookies.list.language.lifetime', { days: 365 })));
  });

  it.each([false, true])('lists every cookie the app sets (cookies behind https: %s)', { timeout: 120_000 }, async (secureCookies) => {
    const tourApp = createApp({ ...stack.deps, config: { ...stack.deps.config, secureCookies } });
    const set = await cookiesSetOnTour(tourApp);
    // The tour reached every kind of cookie: session, CSRF, language and the chat's three (the
    // e-legitimation login's own are proved in test/web/oidcLogin.test.ts).
    expect(set.size).toBe(COOKIES.filter((c) => !c.onlyWithEid).length);
    const listed = [...(await (await tourApp.request('/om/kakor')).text()).matchAll(/<code dir="ltr" data-cookie-name>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect([...set].filter((name) => !listed.includes(name))).toEqual([]);
  });

  it('knows every file that sets a cookie (a new one must add its cookies to web/about/cookies.ts and to the tour above)', () => {
    const setters = [...sourceFiles('web'), ...sourceFiles('lib')].filter((f) => /\bset(Signed)?Cookie\(/.test(readFileSync(f, 'utf8'))).sort();
    expect(setters).toEqual(COOKIE_SETTERS);
  });
});
