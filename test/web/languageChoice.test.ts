// The language choice (R1.3, R1.5, issue 16): offered on every page as a plain form, remembered in
// a cookie, stored on a logged-in person so that their notices go out in it, brought to a new
// browser at login; a citizen-only language shows staff pages whole in Swedish and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOf, translator } from '../../lib/i18n';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { html } from '../support/text';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let n = 0;
const newEmail = () => `sprak-${Date.now()}-${++n}@example.org`;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const htmlTag = (body: string) => /<html lang="([^"]+)" dir="([^"]+)">/.exec(body)?.slice(1, 3);
const person = (email: string) => stack.deps.db.person.findUniqueOrThrow({ where: { email } });

describe('the language choice', () => {
  it('is a form on every page with each language in its own name, the chosen one marked', async () => {
    const body = await (await new WebClient(app).get('/kurser?lang=ar')).text();
    const form = /<form method="post" action="\/sprak"[\s\S]*?<\/form>/.exec(body)![0];
    expect(form).toContain('<input type="hidden" name="next" value="/kurser?lang=ar">');
    expect(form).toContain('<button type="submit" name="lang" value="sv" lang="sv" dir="ltr" class="link-button">Svenska</button>');
    expect(form).toContain('<button type="submit" name="lang" value="lattlast" lang="sv" dir="ltr" class="link-button">Lättläst svenska</button>');
    expect(form).toContain('<button type="submit" name="lang" value="en" lang="en" dir="ltr" class="link-button">English</button>');
    expect(form).toContain('<span class="language-current" lang="ar" dir="rtl" aria-current="true">العربية</span>');
  });

  it("is stored on a logged-in person, for their notices, and remembered in this browser", async () => {
    const email = newEmail();
    const parent = await WebClient.loggedIn(app, stack.deps.db, email);
    expect((await person(email)).language).toBeNull();
    const res = await parent.post('/sprak', { lang: 'ar', next: '/mina-arenden' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/mina-arenden');
    expect((await person(email)).language).toBe('ar');
    expect(languageOf(await person(email))).toBe('ar');
    expect(parent.cookie('komet_lang')).toBe('ar');
    const page = await (await parent.get('/mina-arenden')).text();
    expect(htmlTag(page)).toEqual(['ar', 'rtl']);
    expect(page).toContain(`<h1>${html(translator('ar')('myCases.title'))}</h1>`);
  });

  it('made before logging in, is stored on the person at login', async () => {
    const email = newEmail();
    const visitor = new WebClient(app);
    const chose = await visitor.post('/sprak', { lang: 'lattlast', next: '/kurser' });
    expect(chose.headers.get('location')).toBe('/kurser');
    expect(visitor.cookie('komet_lang')).toBe('lattlast');
    await visitor.login(stack.deps.db, email);
    expect((await person(email)).language).toBe('lattlast');
  });

  it("comes to a new browser at login from the person's stored choice", async () => {
    const email = newEmail();
    const first = await WebClient.loggedIn(app, stack.deps.db, email);
    await first.post('/sprak', { lang: 'en', next: '/' });
    const elsewhere = new WebClient(app);
    expect(htmlTag(await (await elsewhere.get('/')).text())).toEqual(['sv', 'ltr']);
    await elsewhere.login(stack.deps.db, email);
    expect(elsewhere.cookie('komet_lang')).toBe('en');
    expect(htmlTag(await (await elsewhere.get('/mina-arenden')).text())).toEqual(['en', 'ltr']);
  });

  it('refuses an unknown language and a return address off the site, changing nothing', async () => {
    const email = newEmail();
    const parent = await WebClient.loggedIn(app, stack.deps.db, email);
    await parent.post('/sprak', { lang: 'ar', next: '/' });
    const unknown = await parent.post('/sprak', { lang: 'xx', next: '/kurser' });
    expect(unknown.status).toBe(303);
    expect(unknown.headers.get('location')).toBe('/kurser');
    expect((await person(email)).language).toBe('ar');
    expect(parent.cookie('komet_lang')).toBe('ar');
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await parent.post('/sprak', { lang: 'sv', next })).headers.get('location'), next).toBe('/');
    }
    // The choice itself drops a `lang` of the page it came from, so the cookie decides from now on.
    expect((await parent.post('/sprak', { lang: 'en', next: '/kurser?district=sodermalm&lang=ar' })).headers.get('location')).toBe('/kurser?district=sodermalm');
  });

  it('is protected like every form (CSRF)', async () => {
    const visitor = new WebClient(app);
    expect((await visitor.post('/sprak', { lang: 'ar', next: '/' }, { csrf: false })).status).toBe(403);
    expect(visitor.cookie('komet_lang')).toBeUndefined();
  });
});

describe('a citizen-only language on a staff page', () => {
  it('shows the page whole in Swedish (lang="sv", left to right) and says so in the chosen language', async () => {
    const admin = new WebClient(app);
    await admin.get('/?lang=ar');
    await admin.login(stack.deps.db, DEMO_STAFF.admin);
    const body = await (await admin.get('/personal/admin')).text();
    expect(htmlTag(body)).toEqual(['sv', 'ltr']);
    expect(body).toContain(`<p class="notice language-notice" lang="ar" dir="rtl">${html(translator('ar')('language.notCovered'))}</p>`);
    expect(body).toContain(html(translator('sv')('nav.myCases')));
    // No read-aloud on staff pages; the citizen's pages have it.
    expect(body).not.toContain('data-read-aloud');
    expect(await (await admin.get('/mina-arenden')).text()).toContain('data-read-aloud');
  });

  it('keeps an error page in the chosen language wherever it occurs', async () => {
    const visitor = new WebClient(app);
    await visitor.get('/?lang=ar');
    const res = await visitor.get('/personal/finns-inte-heller');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(htmlTag(body)).toEqual(['ar', 'rtl']);
    expect(body).toContain(html(translator('ar')('httpErrors.notFound.title')));
  });
});
