// Login by e-mail link, by e-legitimation or the city's identity provider (oidcRoutes), and logout
// (R2.1: the parent logs in to "Mina ärenden"). LOGIN_METHODS chooses which are offered (issue 15).
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { email as emailSchema } from '../../lib/cases/applicationInput';
import { bindPersonnummer } from '../../lib/auth/eid';
import { consumeLoginToken, loginTokenState, sendLoginLink } from '../../lib/auth/magicLink';
import { endSessionUrl } from '../../lib/auth/oidc';
import { safeRedirectTarget } from '../../lib/auth/redirectTarget';
import type { AppEnv } from '../context';
import { render } from '../render';
import { emailAskedFor, rateLimit } from '../security/rateLimit';
import { endSession, startSession } from '../security/session';
import { isStaff, landingFor } from './landing';
import { dropPendingEid, readPendingEid } from './loginCookies';
import { oidcRoutes, refuse, START_PATH } from './oidcRoutes';

const LoginForm = z.object({ email: emailSchema, next: z.string().optional() });

export function authRoutes() {
  const app = new Hono<AppEnv>();

  // `next` stays empty unless the visitor came from a page: staff then land on /personal.
  const nextOf = (value: unknown) => (typeof value === 'string' && value ? safeRedirectTarget(value, '/mina-arenden') : '');

  app.get('/logga-in', (c) => {
    const next = nextOf(c.req.query('next'));
    const { login } = c.get('deps').config;
    const withNext = (path: string) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);
    return render(c, '/auth/views/login', {
      next,
      values: {},
      emailLink: login.emailLink,
      eidPath: login.eid ? withNext(START_PATH.eid) : null,
      staffPath: login.staff ? withNext(START_PATH['staff-oidc']) : null,
    });
  });

  const FIFTEEN_MINUTES = 15 * 60 * 1000;
  app.post('/logga-in', rateLimit('login-address', 100, FIFTEEN_MINUTES), rateLimit('login-email', 5, FIFTEEN_MINUTES, emailAskedFor), async (c) => {
    const { db, mailer, config } = c.get('deps');
    if (!config.login.emailLink) throw new HTTPException(404);
    const form = await c.req.parseBody();
    const next = nextOf(form.next);
    const parsed = LoginForm.safeParse(form);
    if (!parsed.success) {
      return render(c, '/auth/views/login', { next, values: { email: form.email }, errors: { email: 'errors.email' }, emailLink: true }, 422);
    }
    await sendLoginLink({ db, mailer, publicUrl: config.publicUrl }, parsed.data.email, next, c.get('lang'));
    return render(c, '/auth/views/sent', { email: parsed.data.email });
  });

  app.get('/logga-in/verifiera', async (c) => {
    const token = c.req.query('token') ?? '';
    const state = token ? await loginTokenState(c.get('deps').db, token) : 'invalid';
    if (state !== 'valid') return render(c, '/auth/views/badLink', { state }, 400);
    return render(c, '/auth/views/verify', { token, next: nextOf(c.req.query('next')) });
  });

  app.post('/logga-in/verifiera', rateLimit('verify', 100, FIFTEEN_MINUTES), async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const { db, config } = c.get('deps');
    // A citizen back from e-legitimation, proving the e-mail address for a new account (oidcRoutes).
    const pending = config.login.eid ? readPendingEid(c) : null;
    if (!pending && !config.login.emailLink) return refuse(c, 'emailOff');
    const personId = token ? await consumeLoginToken(db, token) : null;
    if (!personId) {
      const state = token ? await loginTokenState(db, token) : 'invalid';
      return render(c, '/auth/views/badLink', { state: state === 'valid' ? 'invalid' : state }, 400);
    }
    // With the city's identity provider configured, staff log in there, not by e-mail.
    if (!config.login.staffEmailLink && (await isStaff(db, personId))) return refuse(c, 'staffUseOidc', 'staff-oidc');
    if (pending) {
      const bound = await bindPersonnummer(db, personId, pending.personnummer, pending.name);
      if (!bound.ok) return refuse(c, bound.code === 'taken' ? 'taken' : 'otherPersonnummer', 'eid');
      dropPendingEid(c);
    }
    if (c.get('user')) await endSession(c); // a new session id at every login
    await startSession(c, personId, pending ? { oidcProvider: 'eid', idToken: pending.idToken } : undefined);
    return c.redirect(safeRedirectTarget(pending?.next || form.next, await landingFor(db, personId)), 303);
  });

  app.post('/logga-ut', async (c) => {
    const origin = await endSession(c);
    // Logged in through a provider: its session ends too, where it offers that (end_session_endpoint).
    const providerLogout = origin ? await endSessionUrl(c.get('deps').config, origin.oidcProvider, origin.idToken || null) : null;
    if (providerLogout) return c.redirect(providerLogout.href, 303);
    return render(c, '/auth/views/loggedOut', {});
  });

  app.route('/', oidcRoutes());
  return app;
}
