// What a request may carry (issue 14, ASVS V5/V13): a size limit on every body, enforced while it
// is read; one parse of a form body, where a malformed body or a bad encoding is a 400 and a control
// character a 422; the same rule for the path and the query. Nothing reads a body twice: Hono keeps
// the parse, and every route's parseBody() gets that same one. Refusals go through the one error
// path (web/errors.ts), so nothing half-done reaches a route.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { CONTROL_CHARACTERS, fieldWithControlCharacters, percentDecoded } from '../../lib/validation/formFields';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

/**
 * The largest form a page takes. The longest real forms (a message template, the chat guidelines,
 * a survey's questions) are a few tens of kilobytes; uploads have their own limit
 * (MATERIAL_MAX_BYTES, web/materials/routes.ts).
 */
export const FORM_MAX_BYTES = 1024 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);
const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/;

const mediaType = (c: Context<AppEnv>) => (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * 413 as soon as a body passes `maxBytes`: a declared Content-Length is refused before a byte is
 * read, a chunked body when its count passes the limit (Hono's bodyLimit). Routes for which
 * `except` is true carry their own, larger limit.
 */
export function bodySizeLimit(maxBytes: number, except: (path: string) => boolean = () => false): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HTTPException(413, { message: 'tooLarge' });
    },
  });
  return (c, next) => (!WITH_BODY.has(c.req.method) || except(c.req.path) ? next() : limit(c, next));
}

/** A path or query value with a control character (decoded: `%00` is one) answers 400. */
export const refuseControlCharactersInAddress: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  const path = percentDecoded(url.pathname);
  if (path === null || CONTROL_CHARACTERS.test(path)) throw new HTTPException(400, { message: 'badRequest' });
  for (const [name, value] of url.searchParams) {
    if (CONTROL_CHARACTERS.test(name) || CONTROL_CHARACTERS.test(value)) throw new HTTPException(400, { message: 'badRequest' });
  }
  await next();
};

/**
 * Parses a page's form body once, before anything else reads it: malformed multipart, a
 * url-encoded body that is not UTF-8 or has a broken %-escape → 400; a control character in any
 * field or file name → 422. Must come after the size limit and before the CSRF token check.
 */
export const checkFormBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!WITH_BODY.has(c.req.method) || !FORM_TYPES.has(mediaType(c))) return next();
  if (mediaType(c) === 'application/x-www-form-urlencoded' && !isWellFormedUrlEncoded(new Uint8Array(await c.req.arrayBuffer()))) {
    throw new HTTPException(400, { message: 'badRequest' });
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new HTTPException(400, { message: 'badRequest' });
  }
  if (fieldWithControlCharacters(form)) throw new HTTPException(422, { message: 'controlCharacters' });
  await next();
};

/**
 * The API's JSON bodies under the same rule: not UTF-8 → 400; a control character in any string
 * → 422 naming the field. Bodies that are not JSON at all are left to the route, which says so.
 */
export const checkJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!WITH_BODY.has(c.req.method) || !JSON_TYPE.test(mediaType(c))) return next();
  let text: string;
  try {
    text = strictUtf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return next();
  }
  const field = fieldWithControlCharacters(body);
  if (field) throw new ApiError(422, 'invalid', 'Text may not contain control characters', { [field]: 'contains a control character' });
  await next();
};

/** UTF-8 throughout and every %-escape complete and decoding to UTF-8 (what browsers send). */
function isWellFormedUrlEncoded(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return false;
  }
  try {
    for (const pair of text.split('&')) for (const part of pair.split('=')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return false;
  }
  return true;
}
