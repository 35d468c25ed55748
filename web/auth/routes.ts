// Login by e-mail link, and logout (R2.1: the parent logs in to "Mina ärenden").
import { Hono } from 'hono';
import { z } from 'zod';
import { email as emailSchema } from '../../lib/cases/applicationInput';
import { consumeLoginToken, loginTokenState, sendLoginLink } from '../../lib/auth/magicLink';
import { safeRedirectTarget } from '../../lib/auth/redirectTarget';
import type { AppEnv } from '../context';
import { render } from '../render';
import { emailAskedFor, rateLimit } from '../security/rateLimit';
import { endSession, startSession } from '../security/session';
import { CHAT_CONSOLE_PATH } from '../chat-console/paths';

const LoginForm = z.object({ email: emailSchema, next: z.string().optional() });

export function authRoutes() {
  const app = new Hono<AppEnv>();

  // `next` stays empty unless the visitor came from a page: staff then land on /personal.
  const nextOf = (value: unknown) => (typeof value === 'string' && value ? safeRedirectTarget(value, '/mina-arenden') : '');

  app.get('/logga-in', (c) => render(c, '/auth/views/login', { next: nextOf(c.req.query('next')), values: {} }));

  const FIFTEEN_MINUTES = 15 * 60 * 1000;
  app.post('/logga-in', rateLimit('login-address', 100, FIFTEEN_MINUTES), rateLimit('login-email', 5, FIFTEEN_MINUTES, emailAskedFor), async (c) => {
    const form = await c.req.parseBody();
    const next = nextOf(form.next);
    const parsed = LoginForm.safeParse(form);
    if (!parsed.success) {
      return render(c, '/auth/views/login', { next, values: { email: form.email }, errors: { email: 'errors.email' } }, 422);
    }
    const { db, mailer, config } = c.get('deps');
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
    const db = c.get('deps').db;
    const personId = token ? await consumeLoginToken(db, token) : null;
    if (!personId) {
      const state = token ? await loginTokenState(db, token) : 'invalid';
      return render(c, '/auth/views/badLink', { state: state === 'valid' ? 'invalid' : state }, 400);
    }
    if (c.get('user')) await endSession(c); // a new session id at every login
    await startSession(c, personId);
    const roles = (await db.roleGrant.findMany({ where: { personId, role: { not: 'parent' } }, select: { role: true } })).map((g) => g.role);
    // Guides, instructors and chat counsellors work in their own consoles; other staff on the staff
    // page; parents in "Mina ärenden".
    const fallback = roles.some((r) => r !== 'guide' && r !== 'instructor' && r !== 'counsellor')
      ? '/personal'
      : roles.includes('instructor')
        ? '/instruktor'
        : roles.includes('counsellor')
          ? CHAT_CONSOLE_PATH
          : roles.length
            ? '/guide'
            : '/mina-arenden';
    return c.redirect(safeRedirectTarget(form.next, fallback), 303);
  });

  app.post('/logga-ut', async (c) => {
    await endSession(c);
    return render(c, '/auth/views/loggedOut', {});
  });

  return app;
}
