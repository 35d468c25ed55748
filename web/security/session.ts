// Server-side sessions (DESIGN.md): random 256-bit id in a signed cookie, its hash in the database,
// a new id at every login, 30 minutes idle and 12 hours absolute, logout deletes the row.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { randomToken, sha256 } from '../../lib/crypto';
import type { AppEnv, SessionUser } from '../context';

export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export function sessionCookieName(c: Context<AppEnv>): string {
  return c.get('deps').config.secureCookies ? '__Host-komet_session' : 'komet_session';
}

export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null);
  const { db, config } = c.get('deps');
  const raw = await getSignedCookie(c, config.sessionSecret, sessionCookieName(c));
  if (raw) {
    const session = await db.webSession.findUnique({
      where: { idHash: sha256(raw) },
      include: { person: { include: { grants: true } } },
    });
    const now = Date.now();
    if (
      session &&
      now - session.lastSeenAt.getTime() < IDLE_MS &&
      now - session.createdAt.getTime() < ABSOLUTE_MS
    ) {
      const grants = session.person.grants.map((g) => ({ role: g.role, districtId: g.districtId, courseId: g.courseId }));
      const user: SessionUser = {
        id: session.person.id,
        email: session.person.email,
        name: session.person.name,
        grants,
        isStaff: grants.some((g) => g.role !== 'parent'),
        sessionId: session.id,
      };
      c.set('user', user);
      if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.webSession.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
      }
    } else {
      if (session) await db.webSession.delete({ where: { id: session.id } });
      deleteCookie(c, sessionCookieName(c), { path: '/', secure: config.secureCookies });
    }
  }
  await next();
};

export async function startSession(c: Context<AppEnv>, personId: string): Promise<void> {
  const { db, config } = c.get('deps');
  const id = randomToken(32);
  await db.webSession.create({ data: { idHash: sha256(id), personId } });
  await setSignedCookie(c, sessionCookieName(c), id, config.sessionSecret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    maxAge: ABSOLUTE_MS / 1000,
  });
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const user = c.get('user');
  if (user) await c.get('deps').db.webSession.deleteMany({ where: { id: user.sessionId } });
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: c.get('deps').config.secureCookies });
  c.set('user', null);
}
