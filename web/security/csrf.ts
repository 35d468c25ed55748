// CSRF protection for every state-changing form: the Origin check (Hono's csrf) plus a token
// bound to a cookie, sent back as the `_csrf` field or, from htmx, the X-CSRF-Token header.
// The JSON API is outside this: it uses bearer keys, never cookies.
// Two steps, so that the form body's own checks (web/security/requestBody.ts) run in between:
// the token is known to every page, even one that refuses the body, before the body is read.
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { randomToken, safeEqual } from '../../lib/crypto';
import type { AppEnv } from '../context';

const COOKIE = 'komet_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Gives the browser its token (a cookie) and the page the same one. Reads no body. */
export const issueCsrfToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  let token = getCookie(c, COOKIE);
  if (!token || token.length < 32) {
    token = randomToken(32);
    setCookie(c, COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.get('deps').config.secureCookies,
    });
  }
  c.set('csrfToken', token);
  await next();
};

/** Refuses a state-changing request whose token (header or `_csrf` field) is not the cookie's. */
export const checkCsrfToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (UNSAFE.has(c.req.method)) {
    const sent = c.req.header('x-csrf-token') ?? (await formField(c.req.raw.headers.get('content-type'), () => c.req.parseBody()));
    if (!sent || !safeEqual(sent, c.get('csrfToken'))) throw new HTTPException(403, { message: 'csrf' });
  }
  await next();
};

async function formField(contentType: string | null, parse: () => Promise<Record<string, unknown>>): Promise<string | undefined> {
  if (!contentType || !/application\/x-www-form-urlencoded|multipart\/form-data/.test(contentType)) return undefined;
  const value = (await parse())._csrf;
  return typeof value === 'string' ? value : undefined;
}
