// The integration API v1 (R11.4), mounted at /api: JSON only, bearer keys, no cookies or CSRF.
// Every error is thrown as ApiError and rendered by the app's one error path.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { createApplication } from './applications';
import { requireScope } from './auth';
import { getCase } from './cases';
import { listCourses } from './courses';
import { openApiDocument } from './openapi';
import { checkJsonBody } from '../security/requestBody';

/** An application is a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 32 * 1024;

export function apiRoutes(): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const document = openApiDocument();

  api.use('*', async (c, next) => {
    await next();
    // Case data must not be cached by proxies; the page middleware that sets this skips /api.
    // On the response's own headers, not c.header(): see web/app.ts.
    c.res.headers.set('Cache-Control', 'no-store');
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  // Not UTF-8 → 400, a control character in a string → 422 (issue 14); after the limit, which reads first.
  api.use('*', checkJsonBody);

  api.get('/openapi.json', (c) => c.json(document));
  api.get('/v1/courses', listCourses);
  api.post('/v1/applications', requireScope('applications:write'), createApplication);
  api.get('/v1/cases/:caseNumber', requireScope('cases:read'), getCase);
  return api;
}
