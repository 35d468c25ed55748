// Server-side sessions (DESIGN.md): random 256-bit id in a signed cookie, its hash in the database,
// a new id at every login, 30 minutes idle and 12 hours absolute, logout deletes the row.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { randomToken, sha256 } from '../../lib/crypto';
import { DbTypes, type Db } from '../../lib/db';
import { isStaff } from '../../lib/policy';
import type { AppEnv, Grant } from '../context';
import { reconcileLanguageAtLogin } from '../layout/language';
import { readSignedCookie, writeSignedCookie } from './signedCookie';

export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export function sessionCookieName(c: Context<AppEnv>): string {
  return c.get('deps').config.secureCookies ? '__Host-komet_session' : 'komet_session';
}

/**
 * A page whose data is one statement about the logged-in person: the session's own statement reads
 * it too, so the page costs one round trip to the database, not two. On "Mina ärenden", the
 * parent's landing page, the second round trip was about a fifth of the request's CPU in the web
 * server and half of it in PostgreSQL (bench, README "Speed"). The session is still checked on
 * every request, and the page's data is dropped unless the session holds.
 */
export interface SessionPage<T> {
  /** The GET (and HEAD) path it serves, exact, without the query. */
  path: string;
  /** The page's data as one json value, for the person whose id is the SQL expression `person`. */
  json: (person: DbTypes.Prisma.Sql) => DbTypes.Prisma.Sql;
  /** Turns that json value into the page's data. */
  read: (json: unknown) => T;
}

/** The page's data, read with the session (behind requireUser: a page without a session never gets here). */
export function readWithSession<T>(c: Context<AppEnv>, page: SessionPage<T>): T {
  const read = c.get('readWithSession');
  if (read?.page !== page) throw new Error(`${page.path} was not read with the session: is it among sessionLoader's pages (web/app.ts)?`);
  return page.read(read.json);
}

/** Loads the session (and, on the given pages, their data with it) before every browser route. */
export function sessionLoader(pages: readonly SessionPage<unknown>[] = []): MiddlewareHandler<AppEnv> {
  const byPath = new Map(pages.map((p) => [p.path, p]));
  return async (c, next) => {
    c.set('user', null);
    c.set('readWithSession', null);
    const { db, config } = c.get('deps');
    const raw = readSignedCookie(c, config.sessionSecret, sessionCookieName(c));
    if (raw) {
      const page = c.req.method === 'GET' || c.req.method === 'HEAD' ? byPath.get(c.req.path) : undefined;
      const session = await findSession(db, sha256(raw), page);
      const now = Date.now();
      if (session && now - session.lastSeenAt.getTime() < IDLE_MS && now - session.createdAt.getTime() < ABSOLUTE_MS) {
        c.set('user', {
          id: session.personId,
          email: session.email,
          name: session.name,
          grants: session.grants,
          isStaff: isStaff({ id: session.personId, grants: session.grants }),
          sessionId: session.id,
        });
        if (page) c.set('readWithSession', { page, json: session.page });
        // The idle clock needs minutes, not milliseconds: one write a minute, not one per request.
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
}

interface SessionRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  personId: string;
  email: string;
  name: string | null;
  grants: Grant[];
  /** The page's json value (SessionPage), null without one. */
  page: unknown;
}

const NO_PAGE = DbTypes.Prisma.sql`NULL::json`;

/** The session with its person and role grants in one query, on every page: see `Db['sql']`. */
async function findSession(db: Db, idHash: string, page?: SessionPage<unknown>): Promise<SessionRow | null> {
  const rows = await db.sql<SessionRow>`
    SELECT s.id, s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt", p.id AS "personId", p.email, p.name,
           COALESCE((SELECT json_agg(json_build_object('role', g.role, 'districtId', g.district_id, 'courseId', g.course_id))
                     FROM role_grant g WHERE g.person_id = p.id), '[]'::json) AS grants,
           ${page ? page.json(DbTypes.Prisma.sql`p.id`) : NO_PAGE} AS page
    FROM web_session s JOIN person p ON p.id = s.person_id
    WHERE s.id_hash = ${idHash}`;
  return rows[0] ?? null;
}

/** How the session was proved, when by an OpenID provider: logout then ends that provider's session too. */
export interface SessionOrigin {
  oidcProvider: 'eid' | 'staff-oidc';
  idToken: string;
}

export async function startSession(c: Context<AppEnv>, personId: string, origin?: SessionOrigin): Promise<void> {
  const { db, config } = c.get('deps');
  const id = randomToken(32);
  await db.webSession.create({ data: { idHash: sha256(id), personId, ...(origin ?? {}) } });
  writeSignedCookie(c, sessionCookieName(c), id, config.sessionSecret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    maxAge: ABSOLUTE_MS / 1000,
  });
  await reconcileLanguageAtLogin(c, personId);
}

/** Ends the session; answers the provider it came from (and its ID token), if any. */
export async function endSession(c: Context<AppEnv>): Promise<SessionOrigin | null> {
  const user = c.get('user');
  let origin: SessionOrigin | null = null;
  if (user) {
    const row = await c.get('deps').db.webSession.findUnique({ where: { id: user.sessionId }, select: { oidcProvider: true, idToken: true } });
    if (row?.oidcProvider === 'eid' || row?.oidcProvider === 'staff-oidc') origin = { oidcProvider: row.oidcProvider, idToken: row.idToken ?? '' };
    await c.get('deps').db.webSession.deleteMany({ where: { id: user.sessionId } });
  }
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: c.get('deps').config.secureCookies });
  c.set('user', null);
  return origin;
}
