// The visitor's language (R1.3, R1.5): chosen on every page, remembered in a cookie, and stored on
// a logged-in person so that their notices go out in it (Person.language, read with languageOf).
//  - chosen: `?lang=` (a link), else the cookie, else Swedish. A login brings the two together: a
//    choice made in this browser is stored on the person; without one, the person's stored
//    language becomes this browser's.
//  - shown: a language whose scope is "citizen" (easy-to-read Swedish, Arabic) covers the public
//    pages, the application, "Mina ärenden" and the service's own pages; every other page is shown
//    whole in Swedish, with lang="sv", rather than half translated.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { DEFAULT_LANG, isLang, LANGUAGES, translator, type Lang } from '../../lib/i18n';
import type { AppEnv } from '../context';

export const LANG_COOKIE = 'komet_lang';
/** A year: the choice outlives visits; it holds nothing but the language code. */
export const LANG_COOKIE_MAX_AGE = 365 * 24 * 3600;

/**
 * The pages a "citizen" language covers: home, courses and the application (/kurser/…/ansok), login,
 * "Mina ärenden" (with the web course, messages, withdrawal, seat offers), the calendar link, the
 * service's own pages (/om/…) and the language choice. lib/i18n/i18n.test.ts keeps their texts complete.
 */
const CITIZEN_PATH = /^\/(?:kurser|logga-in|logga-ut|mina-arenden|kalender|om|sprak)?(?:\/|$)/;

export function isCitizenPath(path: string): boolean {
  return CITIZEN_PATH.test(path);
}

/** The language a page is shown in when `chosen` was chosen. */
export function pageLanguage(chosen: Lang, path: string): Lang {
  return LANGUAGES[chosen].scope === 'all' || isCitizenPath(path) ? chosen : DEFAULT_LANG;
}

function rememberInCookie(c: Context<AppEnv>, lang: Lang): void {
  setCookie(c, LANG_COOKIE, lang, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').config.secureCookies,
    maxAge: LANG_COOKIE_MAX_AGE,
  });
}

function useLanguage(c: Context<AppEnv>, chosen: Lang): void {
  const shown = pageLanguage(chosen, c.req.path);
  c.set('chosenLang', chosen);
  c.set('lang', shown);
  c.set('t', translator(shown));
}

/** Sets chosenLang, lang and t for the request; `?lang=` also sets the cookie. */
export const resolveLanguage: MiddlewareHandler<AppEnv> = async (c, next) => {
  // The JSON API sets no cookies; it answers in the language of Accept-Language (web/api/messages.ts).
  if (c.req.path.startsWith('/api/')) {
    useLanguage(c, DEFAULT_LANG);
    return next();
  }
  const asked = c.req.query('lang');
  const remembered = getCookie(c, LANG_COOKIE);
  if (isLang(asked)) {
    if (asked !== remembered) rememberInCookie(c, asked);
    useLanguage(c, asked);
  } else {
    useLanguage(c, isLang(remembered) ? remembered : DEFAULT_LANG);
  }
  await next();
};

/** At login (web/security/session.ts): this browser's choice is stored on the person, or theirs comes to it. */
export async function reconcileLanguageAtLogin(c: Context<AppEnv>, personId: string): Promise<void> {
  const db = c.get('deps').db;
  const remembered = getCookie(c, LANG_COOKIE);
  const asked = c.req.query('lang');
  const choice = isLang(asked) ? asked : isLang(remembered) ? remembered : null;
  if (choice) {
    await db.person.update({ where: { id: personId }, data: { language: choice } });
    return;
  }
  const person = await db.person.findUnique({ where: { id: personId }, select: { language: true } });
  if (person && isLang(person.language)) {
    rememberInCookie(c, person.language);
    useLanguage(c, person.language);
  }
}

/** Where to go back to: a path on this site, without its own `lang` (the choice is the cookie now). */
function backTo(next: string | undefined): string {
  if (!next || !/^\/(?![/\\])[^\s]*$/.test(next)) return '/';
  const url = new URL(next, 'http://komet.invalid');
  url.searchParams.delete('lang');
  return url.pathname + url.search;
}

const LanguageChoice = z.object({ lang: z.string(), next: z.string().max(2000).optional() });

export function languageRoutes() {
  const app = new Hono<AppEnv>();

  // The language choice on every page: a plain form (works without script, CSRF-protected as any form).
  app.post('/sprak', async (c) => {
    const form = LanguageChoice.safeParse(await c.req.parseBody());
    const next = backTo(form.success ? form.data.next : undefined);
    if (!form.success || !isLang(form.data.lang)) return c.redirect(next, 303);
    const lang = form.data.lang;
    rememberInCookie(c, lang);
    const user = c.get('user');
    if (user) await c.get('deps').db.person.update({ where: { id: user.id }, data: { language: lang } });
    return c.redirect(next, 303);
  });

  return app;
}
