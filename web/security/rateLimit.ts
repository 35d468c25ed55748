// A fixed-window limit per key (client address + purpose), in memory. Enough for one web process;
// with several, the limits apply per process (noted in the README).
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../context';

/** Limits POSTs per client address, or per what `keyOf` returns (e.g. the e-mail asked for). */
export function rateLimit(
  name: string,
  max: number,
  windowMs: number,
  keyOf: (c: Context<AppEnv>) => Promise<string> | string = clientAddress,
): MiddlewareHandler<AppEnv> {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const now = Date.now();
    const key = `${name}:${await keyOf(c)}`;
    const entry = hits.get(key);
    if (!entry || entry.resetAt < now) {
      hits.set(key, { count: 1, resetAt: now + windowMs });
      if (hits.size > 10_000) for (const [k, v] of hits) if (v.resetAt < now) hits.delete(k);
    } else if (++entry.count > max) {
      c.header('Retry-After', String(Math.ceil((entry.resetAt - now) / 1000)));
      throw new HTTPException(429, { message: 'rate-limited' });
    }
    await next();
  };
}

export function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The e-mail address a login form asks for, so one person cannot be flooded with links. */
export async function emailAskedFor(c: Context<AppEnv>): Promise<string> {
  const form = await c.req.parseBody();
  return typeof form.email === 'string' ? form.email.trim().toLowerCase() : '';
}
