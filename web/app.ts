// createApp(deps): the one Hono application for citizens, staff and the integration API.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { relative } from 'node:path';
import { fromRoot } from '../lib/projectRoot';
import type { Deps } from '../lib/deps';
import type { AppEnv } from './context';
import { apiRoutes } from './api/routes';
import { authRoutes } from './auth/routes';
import { devRoutes } from './dev/routes';
import { healthRoutes, type HealthProbe } from './health/routes';
import { restartGate, type SupervisedStates } from './health/supervised';
import { myCasesPage, myCasesRoutes } from './my-cases/routes';
import { caseActionRoutes } from './case-actions/routes';
import { settingsRoutes } from './settings/routes';
import { adminRoutes } from './admin/routes';
import { publicRoutes } from './public/routes';
import { applyRoutes } from './apply/routes';
import { trainingRoutes } from './trainings/routes';
import { consentHeaders, consentRoutes } from './consent/routes';
import { staffRoutes } from './staff/routes';
import { webCourseRoutes } from './web-course/routes';
import { guideRoutes } from './guide/routes';
import { instructorRoutes } from './instructor/routes';
import { surveyRoutes } from './surveys/routes';
import { sessionRoutes } from './staff/sessions';
import { calendarRoutes } from './calendar/routes';
import { isMaterialUpload, materialRoutes, materialUploadLimit } from './materials/routes';
import { feeRoutes } from './fees/routes';
import { invoicePdfRoutes } from './fees/invoicePdfRoute';
import { verifyRoutes } from './verify/routes';
import { auditRoutes } from './audit/routes';
import { statisticsRoutes } from './statistics/routes';
import { inspectorRoutes } from './inspector/routes';
import { diariumRoutes } from './diarium/routes';
import { chatRoutes } from './chat/routes';
import { chatConsoleRoutes } from './chat-console/routes';
import { chatAdminRoutes } from './chat-admin/routes';
import { aboutRoutes } from './about/routes';
import { languageRoutes, resolveLanguage } from './layout/language';
import { handleError, notFound } from './errors';
import { checkCsrfToken, issueCsrfToken } from './security/csrf';
import { bodySizeLimit, checkFormBody, FORM_MAX_BYTES, refuseControlCharactersInAddress } from './security/requestBody';
import { sessionLoader } from './security/session';

const ASSETS_ROOT = relative(process.cwd(), fromRoot('web', 'assets'));

export interface AppOptions {
  /** Reports whether a worker polls the task queue (the launcher knows; production asks Temporal). */
  health?: HealthProbe;
  /** Under the embedded launcher: which parts it runs and whether they are up (web/health/supervised.ts). */
  supervised?: SupervisedStates;
}

export function createApp(deps: Deps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('apiKey', null);
    await next();
  });
  // No control character in the path or the query, for pages and the API alike (issue 14).
  app.use(refuseControlCharactersInAddress);
  app.use(resolveLanguage);
  // While the launcher restarts the database, pages answer "restarting" at once (issue 14 point 10).
  if (options.supervised) app.use(restartGate(options.supervised));
  // Before secureHeaders, so its no-referrer outlasts the site-wide Referrer-Policy.
  app.use('/samtycke/*', consentHeaders);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('/assets/*', serveStatic({ root: ASSETS_ROOT, rewriteRequestPath: (p) => p.replace(/^\/assets/, '') }));

  app.route('/', healthRoutes(options.health, options.supervised));
  app.route('/api', apiRoutes());

  // Browser pages: sessions, Origin check and CSRF token on every state-changing request.
  // "Mina ärenden" is read in the session's own statement (SessionPage).
  const loadSession = sessionLoader([myCasesPage]);
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : loadSession(c, next)));
  const checkOrigin = csrf();
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : checkOrigin(c, next)));
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : issueCsrfToken(c, next)));
  // Size limits before anything reads a body (issue 14): forms get FORM_MAX_BYTES, uploads their own.
  app.use('*', bodySizeLimit(FORM_MAX_BYTES, (path) => path.startsWith('/api/') || isMaterialUpload(path)));
  app.use('*', materialUploadLimit());
  // One parse of the form: malformed → 400, control characters → 422, then the token in it is checked.
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : checkFormBody(c, next)));
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : checkCsrfToken(c, next)));
  app.use('*', async (c, next) => {
    await next();
    // Pages with personal data must not be cached by browsers or proxies. Set on the response's own
    // headers: c.header() on a finished response rebuilds it around a stream of its body.
    if (!c.req.path.startsWith('/assets/') && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  app.route('/', publicRoutes());
  app.route('/', languageRoutes());
  app.route('/', aboutRoutes());
  app.route('/', authRoutes());
  app.route('/', applyRoutes());
  app.route('/', trainingRoutes());
  app.route('/', consentRoutes());
  app.route('/', myCasesRoutes());
  app.route('/', caseActionRoutes());
  app.route('/', settingsRoutes());
  app.route('/', adminRoutes());
  app.route('/', staffRoutes());
  app.route('/', webCourseRoutes());
  app.route('/', guideRoutes());
  app.route('/', instructorRoutes());
  app.route('/', surveyRoutes());
  app.route('/', sessionRoutes());
  app.route('/', calendarRoutes());
  app.route('/', materialRoutes());
  app.route('/', feeRoutes());
  app.route('/', invoicePdfRoutes());
  app.route('/', verifyRoutes());
  app.route('/', auditRoutes());
  app.route('/', statisticsRoutes());
  app.route('/', inspectorRoutes());
  app.route('/', diariumRoutes());
  app.route('/', chatRoutes());
  app.route('/', chatConsoleRoutes());
  app.route('/', chatAdminRoutes());
  if (deps.config.embedded) app.route('/', devRoutes());

  app.notFound(notFound);
  app.onError(handleError);
  return app;
}

export { HTTPException };
