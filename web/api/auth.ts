// Bearer-key authentication for the integration API: no cookies, so no CSRF; each route names the
// one scope it needs. Errors are thrown as ApiError so the app's one error path renders them.
import type { MiddlewareHandler } from 'hono';
import { findApiKey, type Scope } from '../../lib/apiKeys';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    const key = match ? await findApiKey(c.get('deps').db, match[1]) : null;
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer realm="komet"');
      throw new ApiError(401, 'unauthorized', 'A valid API key is required (Authorization: Bearer <key>)');
    }
    if (!key.scopes.includes(scope)) throw new ApiError(403, 'forbidden', `The API key lacks the scope ${scope}`);
    c.set('apiKey', key);
    await next();
  };
}
