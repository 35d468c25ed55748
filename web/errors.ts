// The one error path: API requests get JSON {"error": {code, message, fields?}}; pages get a
// Swedish/English error page. Nothing personal is logged: method, route pattern, the error's kind,
// code and where it was thrown — never its message.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context';
import { render } from './render';
import type { NotReached } from '../lib/commands/send';
import { isPartUnavailable } from '../lib/availability';

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export function apiError(c: Context<AppEnv>, err: ApiError) {
  return c.json({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } }, err.status);
}

export function notFound(c: Context<AppEnv>) {
  if (c.req.path.startsWith('/api/')) return apiError(c, new ApiError(404, 'not_found', 'No such resource'));
  return render(c, '/layout/error', { status: 404, reason: 'notFound' }, 404);
}

/** How long a client should wait before trying a command again that did not reach its case. */
export const RETRY_AFTER_SECONDS = 10;

/**
 * A command did not reach the case's workflow (Temporal unreachable, or the process not started
 * yet): the answer is 503 with Retry-After, and the page says to try again in a moment. Nothing
 * changed.
 */
export class ProcessUnavailable extends HTTPException {
  constructor(readonly code: NotReached['code']) {
    super(503, { message: code });
  }
}

/**
 * A part of the service (database, Temporal, worker) is down or being started again: thrown by the
 * restart gate (web/health/supervised.ts); a database or Temporal that cannot be reached mid-request
 * is answered the same way. 503 with Retry-After and "Tjänsten startar om", never a 500.
 */
export class ServiceRestarting extends HTTPException {
  constructor(readonly part: string) {
    super(503, { message: 'restarting' });
  }
}

/** Seconds a client waits before trying again while a part starts again (most restart within this). */
export const RESTART_RETRY_AFTER_SECONDS = 5;

export function restartingResponse(c: Context<AppEnv>) {
  c.header('Retry-After', String(RESTART_RETRY_AFTER_SECONDS));
  if (c.req.path.startsWith('/api/')) return apiError(c, new ApiError(503, 'restarting', 'The service is restarting; try again shortly'));
  return render(c, '/layout/error', { status: 503, reason: 'restarting' }, 503);
}

/** A command's result with "not reached" taken out: that becomes the 503 page (one error path). */
export function whenReached<R extends { ok: boolean; code?: string }>(result: R): Exclude<R, NotReached> {
  if (!result.ok && (result.code === 'unreachable' || result.code === 'not-started')) throw new ProcessUnavailable(result.code);
  return result as Exclude<R, NotReached>;
}

export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof ApiError) return apiError(c, err);
  if (err instanceof ServiceRestarting || isPartUnavailable(err)) return restartingResponse(c);
  if (err instanceof ProcessUnavailable) {
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    if (c.req.path.startsWith('/api/')) return apiError(c, new ApiError(503, 'unavailable', 'The case cannot be reached right now; try again shortly'));
    return render(c, '/layout/error', { status: 503, reason: 'unavailable', detail: `refusals.${err.code}` }, 503);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (c.req.path.startsWith('/api/')) {
      return apiError(c, new ApiError(status as ApiError['status'], codeFor(status), err.message || 'Request refused'));
    }
    if (err.message === 'Forbidden' || err.message === 'csrf') {
      return render(c, '/layout/error', { status, reason: 'csrf' }, status);
    }
    return render(c, '/layout/error', { status, reason: reasonFor(status) }, status);
  }
  console.error(`[web] ${c.req.method} ${c.req.routePath} failed: ${loggableError(err)}`);
  if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
  return render(c, '/layout/error', { status: 500, reason: 'internal' }, 500);
}

function reasonFor(status: number): string {
  // 400: a body that cannot be read (malformed multipart, bad encoding); 413: over the size limit;
  // 422 from the request checks: a control character in a field (web/security/requestBody.ts).
  return (
    ({ 400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'notFound', 413: 'tooLarge', 422: 'controlCharacters', 429: 'rateLimited', 503: 'unavailable' } as Record<number, string>)[
      status
    ] ?? 'internal'
  );
}

function codeFor(status: number): string {
  return (
    ({ 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 422: 'invalid', 429: 'rate_limited', 503: 'unavailable' } as Record<number, string>)[
      status
    ] ?? 'error'
  );
}

/**
 * What the log may say about an unexpected error. Not the message: a database error repeats the
 * query's values (an e-mail address, a personnummer, a search term), so the log gets the error's
 * class, its code if any (Prisma's P2002 …) and the first frames of the stack, without the message.
 */
export function loggableError(err: Error): string {
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 3)
    .map((line) => line.trim());
  return [err.name, typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : '', frames.join(' < ')].filter(Boolean).join(' ');
}
