// Fixed-window limits per key (the client address, or what `keyOf` returns) and purpose, kept in
// PostgreSQL so that every web process counts against the same window (issue 14, finding 11: in
// process memory, each of N processes allowed the full amount). One statement per hit: an upsert
// that starts a new window or counts in the current one, atomically, on the database's clock.
import { createHmac } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Config } from '../../lib/config';
import type { Db } from '../../lib/db';
import type { AppEnv } from '../context';

/** Expired windows are removed at most this often per process, by whichever hit comes first. */
const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Db, number>();

export interface LimitHit {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterS: number;
}

/**
 * Counts one hit of `key` against `name`'s limit and says whether it is within `max` per window.
 * The stored key is an HMAC, so the table holds no address, e-mail or visitor key.
 */
export async function hitLimit(
  deps: { db: Db; config: Pick<Config, 'sessionSecret'> },
  name: string,
  key: string,
  max: number,
  windowMs: number,
): Promise<LimitHit> {
  const { db } = deps;
  const stored = createHmac('sha256', deps.config.sessionSecret || 'komet-rate-limit').update(`${name}\u0000${key}`).digest('base64url');
  const [row] = await db.$queryRaw<{ hits: number; retryAfterS: number }[]>`
    INSERT INTO rate_limit (key, hits, reset_at)
    VALUES (${stored}, 1, (now() AT TIME ZONE 'UTC') + ${windowMs}::double precision * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limit.reset_at <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE rate_limit.hits + 1 END,
      reset_at = CASE WHEN rate_limit.reset_at <= (now() AT TIME ZONE 'UTC') THEN EXCLUDED.reset_at ELSE rate_limit.reset_at END
    RETURNING hits, GREATEST(1, CEIL(EXTRACT(EPOCH FROM reset_at - (now() AT TIME ZONE 'UTC'))))::int AS "retryAfterS"`;
  sweepExpired(db);
  return { allowed: row.hits <= max, retryAfterS: row.retryAfterS };
}

function sweepExpired(db: Db): void {
  const now = Date.now();
  if (now - (lastSweep.get(db) ?? 0) < SWEEP_EVERY_MS) return;
  lastSweep.set(db, now);
  // Best effort: a failed sweep leaves rows for the next one; it never fails a request.
  db.$executeRaw`DELETE FROM rate_limit WHERE reset_at < (now() AT TIME ZONE 'UTC') - interval '1 minute'`.catch(() => undefined);
}

/** Limits POSTs per client address, or per what `keyOf` returns (e.g. the e-mail asked for). */
export function rateLimit(
  name: string,
  max: number,
  windowMs: number,
  keyOf: (c: Context<AppEnv>) => Promise<string> | string = clientAddress,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const hit = await hitLimit(c.get('deps'), name, await keyOf(c), max, windowMs);
    if (!hit.allowed) {
      c.header('Retry-After', String(hit.retryAfterS));
      throw new HTTPException(429, { message: 'rate-limited' });
    }
    await next();
  };
}

/**
 * The client's address: the socket's peer, or behind `TRUST_PROXY` load balancers the address the
 * outermost trusted one saw, read from the right of X-Forwarded-For (entries further left are
 * whatever the client wrote, so they are never trusted).
 */
export function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress ?? 'unknown';
  return addressBehindProxies(peer, c.req.header('x-forwarded-for'), c.get('deps').config.TRUST_PROXY);
}

/** `trustedHops` proxies in front of us: the chain is X-Forwarded-For's entries, then the peer. */
export function addressBehindProxies(peer: string, forwardedFor: string | undefined, trustedHops: number): string {
  if (trustedHops <= 0 || !forwardedFor) return peer;
  const chain = [...forwardedFor.split(',').map((a) => a.trim()), peer];
  const address = chain[Math.max(0, chain.length - 1 - trustedHops)];
  return address && address.length <= 64 ? address : peer;
}

/** The e-mail address a login form asks for, so one person cannot be flooded with links. */
export async function emailAskedFor(c: Context<AppEnv>): Promise<string> {
  const form = await c.req.parseBody();
  return typeof form.email === 'string' ? form.email.trim().toLowerCase() : '';
}
