// The one render helper. Views live beside their feature (web/<feature>/views); the layout wraps
// full pages, and an htmx request for the same view gets the fragment alone.
import { Eta } from 'eta';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatDate, formatDateTime, formatTime } from '../lib/time';
import { formatPhone } from '../lib/validation/phone';
import { fromRoot } from '../lib/projectRoot';
import type { AppEnv } from './context';
import { DEFAULT_LANG, LANGS, LANGUAGES, translator } from '../lib/i18n';
import { isCitizenPath } from './layout/language';
import { staffMenuFor } from './staff/tools';
import * as anyCase from '../rules/anyCase';
import * as enrolmentCase from '../rules/enrolmentCase';
import * as parentCase from '../rules/parentCase';

/** The case rules templates ask before they offer a step (the same ones the workflows check). */
const rules = { anyCase, enrolmentCase, parentCase };

const eta = new Eta({
  views: fromRoot('web'),
  cache: process.env.NODE_ENV !== 'development',
  autoEscape: true,
});

export type ViewData = Record<string, unknown>;

/** The language choice on every page: each language in its own name, tag and direction. */
const LANGUAGE_CHOICES = LANGS.map((code) => ({ code, name: LANGUAGES[code].name, tag: LANGUAGES[code].tag, dir: LANGUAGES[code].dir }));

/** Views shown in the visitor's chosen language wherever they occur: an error page on any path. */
const ALWAYS_IN_CHOSEN_LANGUAGE = new Set(['/layout/error']);

/**
 * Where the language choice returns to: a citizen page with its query (course filters); a staff page
 * without (search terms, case numbers are not echoed into the page); a page that is not there or not
 * the visitor's (401, 403, 404) to the start, so it reads the same whatever address was asked for.
 */
function returnAddress(c: Context<AppEnv>, status: number): string {
  if (status === 401 || status === 403 || status === 404) return '/';
  const url = new URL(c.req.url);
  return isCitizenPath(url.pathname) ? url.pathname + url.search : url.pathname;
}

export function renderView(c: Context<AppEnv>, view: string, data: ViewData = {}, status = 200): string {
  // A request refused before the language was chosen (a NUL byte in the address) is answered in Swedish.
  const chosen = c.get('chosenLang') ?? DEFAULT_LANG;
  const shown = c.get('lang') ?? DEFAULT_LANG;
  const lang = ALWAYS_IN_CHOSEN_LANGUAGE.has(view) ? chosen : shown;
  const t = lang === shown && c.get('t') ? c.get('t') : translator(lang);
  return eta.render(view, {
    ...data,
    t,
    lang,
    htmlLang: LANGUAGES[lang].tag,
    dir: LANGUAGES[lang].dir,
    language: {
      chosen,
      choices: LANGUAGE_CHOICES,
      // The chosen language does not cover this (staff) page: it is shown in Swedish, and says so.
      notCovered: chosen !== lang ? { tag: LANGUAGES[chosen].tag, dir: LANGUAGES[chosen].dir, t: translator(chosen) } : null,
    },
    // Read aloud (R1.5) on the public pages and the citizen's own.
    readAloud: isCitizenPath(c.req.path),
    here: returnAddress(c, status),
    user: c.get('user'),
    staffMenu: staffMenuFor(c.get('user')),
    csrfToken: c.get('csrfToken'),
    path: c.req.path,
    embedded: c.get('deps').config.embedded,
    isHtmx: c.req.header('hx-request') === 'true',
    rules,
    fmt: { phone: formatPhone, date: (d: Date | string) => formatDate(d, lang), time: (d: Date | string) => formatTime(d, lang), dateTime: (d: Date | string) => formatDateTime(d, lang) },
  });
}

export function render(c: Context<AppEnv>, view: string, data: ViewData = {}, status: ContentfulStatusCode = 200) {
  return c.html(renderView(c, view, data, status), status);
}
