// The one render helper. Views live beside their feature (web/<feature>/views); the layout wraps
// full pages, and an htmx request for the same view gets the fragment alone.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatDate, formatDateTime, formatTime } from '../lib/time';
import { formatPhone } from '../lib/validation/phone';
import type { AppEnv } from './context';
import { RTL_LANGS } from '../lib/i18n';
import * as anyCase from '../rules/anyCase';
import * as enrolmentCase from '../rules/enrolmentCase';
import * as parentCase from '../rules/parentCase';

/** The case rules templates ask before they offer a step (the same ones the workflows check). */
const rules = { anyCase, enrolmentCase, parentCase };

const eta = new Eta({
  views: fileURLToPath(new URL('.', import.meta.url)),
  cache: process.env.NODE_ENV !== 'development',
  autoEscape: true,
});

export type ViewData = Record<string, unknown>;

export function renderView(c: Context<AppEnv>, view: string, data: ViewData = {}): string {
  const lang = c.get('lang');
  return eta.render(view, {
    ...data,
    t: c.get('t'),
    lang,
    dir: RTL_LANGS.includes(lang) ? 'rtl' : 'ltr',
    user: c.get('user'),
    csrfToken: c.get('csrfToken'),
    path: c.req.path,
    embedded: c.get('deps').config.embedded,
    isHtmx: c.req.header('hx-request') === 'true',
    rules,
    fmt: { phone: formatPhone, date: (d: Date | string) => formatDate(d, lang), time: (d: Date | string) => formatTime(d, lang), dateTime: (d: Date | string) => formatDateTime(d, lang) },
  });
}

export function render(c: Context<AppEnv>, view: string, data: ViewData = {}, status: ContentfulStatusCode = 200) {
  return c.html(renderView(c, view, data), status);
}
