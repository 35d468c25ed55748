// Login with e-legitimation (citizens: BankID, Freja eID through the city's broker) and with the
// city's identity provider (staff), by OpenID Connect (issue 15). Each refusal is a page saying why,
// and starts no session.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { email as emailSchema } from '../../lib/cases/applicationInput';
import { bindPersonnummer, findEidPerson, nameFromClaims, personnummerFromClaims } from '../../lib/auth/eid';
import { sendLoginLink } from '../../lib/auth/magicLink';
import { AFTER_LOGOUT_PATH, beginLogin, CALLBACK_PATH, completeLogin, OidcRefused, type OidcKind } from '../../lib/auth/oidc';
import { safeRedirectTarget } from '../../lib/auth/redirectTarget';
import { emailFromClaims, matchStaff } from '../../lib/auth/staffLogin';
import type { AppEnv } from '../context';
import { render } from '../render';
import { rateLimit } from '../security/rateLimit';
import { endSession, startSession } from '../security/session';
import { landingFor } from './landing';
import { keepPendingEid, keepTransaction, readPendingEid, takeTransaction } from './loginCookies';

/** Why a login was refused (auth.oidc.refused.*), with its status. */
export const REFUSALS = {
  state: 400,
  cancelled: 400,
  token: 400,
  unavailable: 503,
  noPersonnummer: 400,
  taken: 409,
  otherPersonnummer: 409,
  noEmail: 400,
  noGrant: 403,
  staffUseOidc: 403,
  emailOff: 400,
} as const satisfies Record<string, ContentfulStatusCode>;
export type Refusal = keyof typeof REFUSALS;

export function refuse(c: Context<AppEnv>, reason: Refusal, kind: OidcKind | null = null) {
  return render(c, '/auth/views/refused', { reason, retry: retryPath(c, kind) }, REFUSALS[reason]);
}

/** Where "try again" leads: the same provider when it is on, else the login page. */
function retryPath(c: Context<AppEnv>, kind: OidcKind | null): string {
  const { login } = c.get('deps').config;
  if (kind === 'eid' && login.eid) return START_PATH.eid;
  if (kind === 'staff-oidc' && login.staff) return START_PATH['staff-oidc'];
  return '/logga-in';
}

export const START_PATH: Record<OidcKind, string> = { eid: '/logga-in/e-legitimation', 'staff-oidc': '/logga-in/medarbetare' };
const EMAIL_PATH = '/logga-in/e-legitimation/e-post';
const FIFTEEN_MINUTES = 15 * 60 * 1000;

const nextOf = (value: unknown) => (typeof value === 'string' && value ? safeRedirectTarget(value, '/mina-arenden') : '');

function enabled(c: Context<AppEnv>, kind: OidcKind): boolean {
  const { login } = c.get('deps').config;
  return kind === 'eid' ? !!login.eid : !!login.staff;
}

function logRefusal(c: Context<AppEnv>, err: OidcRefused) {
  // The library's code only: never a claim, a token or a query.
  console.warn(`[auth] ${c.req.routePath} refused: ${err.reason}${err.detail ? ` (${err.detail})` : ''}`);
}

export function oidcRoutes() {
  const app = new Hono<AppEnv>();

  for (const kind of ['eid', 'staff-oidc'] as const) {
    app.get(START_PATH[kind], rateLimit('oidc-start', 100, FIFTEEN_MINUTES), async (c) => {
      if (!enabled(c, kind)) throw new HTTPException(404);
      try {
        const { url, transaction } = await beginLogin(c.get('deps').config, kind, nextOf(c.req.query('next')));
        keepTransaction(c, transaction);
        return c.redirect(url.href, 303);
      } catch (err) {
        if (!(err instanceof OidcRefused)) throw err;
        logRefusal(c, err);
        return refuse(c, err.reason, kind);
      }
    });
  }

  app.get(CALLBACK_PATH.eid, rateLimit('oidc-return', 100, FIFTEEN_MINUTES), async (c) => {
    if (!enabled(c, 'eid')) throw new HTTPException(404);
    const { db, config } = c.get('deps');
    const transaction = takeTransaction(c);
    let claims, idToken;
    try {
      ({ claims, idToken } = await completeLogin(config, 'eid', new URL(c.req.url).search, transaction));
    } catch (err) {
      if (!(err instanceof OidcRefused)) throw err;
      logRefusal(c, err);
      return refuse(c, err.reason, 'eid');
    }
    const personnummer = personnummerFromClaims(claims, config.login.eid!.personnummerClaim);
    if (!personnummer) return refuse(c, 'noPersonnummer', 'eid');
    const name = nameFromClaims(claims);
    const next = transaction!.next;
    const known = await findEidPerson(db, personnummer);
    const current = c.get('user');
    let personId = known?.id ?? null;
    if (!personId && current && !current.isStaff) {
      // Logged in by e-mail link already: this person proved the address, so the number is theirs.
      const bound = await bindPersonnummer(db, current.id, personnummer, name);
      if (!bound.ok) return refuse(c, bound.code === 'taken' ? 'taken' : 'otherPersonnummer', 'eid');
      personId = current.id;
    }
    if (!personId) {
      // First time: an e-mail address for the notices, proved by a link, before the account exists.
      keepPendingEid(c, { personnummer, name, idToken, next });
      return c.redirect(EMAIL_PATH, 303);
    }
    if (current) await endSession(c); // a new session id at every login
    await startSession(c, personId, { oidcProvider: 'eid', idToken });
    return c.redirect(safeRedirectTarget(next, '/mina-arenden'), 303);
  });

  app.get(EMAIL_PATH, (c) => {
    const pending = readPendingEid(c);
    if (!pending || !enabled(c, 'eid')) return refuse(c, 'state', 'eid');
    return render(c, '/auth/views/eidEmail', { values: {}, name: pending.name });
  });

  app.post(EMAIL_PATH, rateLimit('login-address', 100, FIFTEEN_MINUTES), async (c) => {
    const pending = readPendingEid(c);
    if (!pending || !enabled(c, 'eid')) return refuse(c, 'state', 'eid');
    const form = await c.req.parseBody();
    const parsed = z.object({ email: emailSchema }).safeParse(form);
    if (!parsed.success) {
      return render(c, '/auth/views/eidEmail', { values: { email: form.email }, errors: { email: 'errors.email' }, name: pending.name }, 422);
    }
    const { db, mailer, config } = c.get('deps');
    await sendLoginLink({ db, mailer, publicUrl: config.publicUrl }, parsed.data.email, pending.next, c.get('lang'));
    return render(c, '/auth/views/sent', { email: parsed.data.email, eid: true });
  });

  app.get(CALLBACK_PATH['staff-oidc'], rateLimit('oidc-return', 100, FIFTEEN_MINUTES), async (c) => {
    if (!enabled(c, 'staff-oidc')) throw new HTTPException(404);
    const { db, config } = c.get('deps');
    const transaction = takeTransaction(c);
    let claims, idToken;
    try {
      ({ claims, idToken } = await completeLogin(config, 'staff-oidc', new URL(c.req.url).search, transaction));
    } catch (err) {
      if (!(err instanceof OidcRefused)) throw err;
      logRefusal(c, err);
      return refuse(c, err.reason, 'staff-oidc');
    }
    const match = await matchStaff(db, emailFromClaims(claims, config.login.staff!.emailClaim));
    if (!match.ok) return refuse(c, match.code, 'staff-oidc');
    if (c.get('user')) await endSession(c);
    await startSession(c, match.personId, { oidcProvider: 'staff-oidc', idToken });
    return c.redirect(safeRedirectTarget(transaction!.next, await landingFor(db, match.personId)), 303);
  });

  // The provider sends the browser here once its own session has ended too.
  app.get(AFTER_LOGOUT_PATH, (c) => render(c, '/auth/views/loggedOut', {}));

  return app;
}
