// Access checks on the server for every request (never by hiding links).
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { mayEnter, type Area } from '../../lib/policy';
import { hasRole, type AppEnv, type Grant } from '../context';

function toLogin(c: Context<AppEnv>) {
  const target = `/logga-in?next=${encodeURIComponent(c.req.path)}`;
  if (c.req.header('hx-request') === 'true') {
    c.header('HX-Redirect', target);
    return c.body(null, 401);
  }
  return c.redirect(target, 303);
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('user')) return toLogin(c);
  await next();
};

export function requireRole(...roles: Grant['role'][]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('user')) return toLogin(c);
    if (!hasRole(c.get('user'), ...roles)) throw new HTTPException(403, { message: 'forbidden' });
    await next();
  };
}

/** A staff area of the access policy (lib/policy AREA_ROLES): its roles, or 403. */
export function requireArea(area: Area): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('user')) return toLogin(c);
    if (!mayEnter(c.get('user'), area)) throw new HTTPException(403, { message: 'forbidden' });
    await next();
  };
}
