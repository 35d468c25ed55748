// The manager's consent page (R6.2): no login, the signed single-use link is the credential.
// The manager sees who applies and for what, approves or declines, and the answer goes to the
// case's workflow as an update; a bad, expired or used link shows a clear page and changes nothing.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { CONSENT_COMMENT_MAX, ConsentAnswerSchema } from '../../lib/enrolments/enrolmentInput';
import * as enrolmentCommands from '../../lib/commands/professionalEnrolment';
import type { AppEnv } from '../context';
import { trainingPage } from '../trainings/routes';
import { findConsentCase, type ConsentCase, type LinkRefusal } from './consentRequest';
import { fieldErrors } from '../../lib/validation/fieldErrors';

/**
 * The token is in the address: never send it on as a Referer, never keep the page in a cache.
 * Mounted before secureHeaders (which would overwrite the Referrer-Policy), so it runs after it.
 */
export const consentHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  c.res.headers.set('Cache-Control', 'no-store');
};

type LinkQuery = { t?: string; e?: string; s?: string };

function linkQuery(c: Context<AppEnv>): LinkQuery {
  const { t, e, s } = c.req.query();
  return { t, e, s };
}

function refused(c: Context<AppEnv>, reason: LinkRefusal | 'closed' | 'unavailable') {
  const status = reason === 'invalid' ? 404 : reason === 'unavailable' ? 503 : 410;
  return trainingPage(c, '/consent/views/refused', { title: c.get('t')(`trainings.consent.refused.${reason}.title`), reason }, status);
}

function showForm(c: Context<AppEnv>, found: ConsentCase, values: Record<string, unknown>, errors?: Record<string, string>) {
  const q = linkQuery(c);
  const action = `/samtycke/${found.requestId}?${new URLSearchParams({ t: q.t!, e: q.e!, s: q.s! })}`;
  return trainingPage(
    c,
    '/consent/views/form',
    { title: c.get('t')('trainings.consent.title'), found, training: found.training, showSeats: false, action, values, errors, commentMax: CONSENT_COMMENT_MAX },
    errors ? 422 : 200,
  );
}

export function consentRoutes() {
  const app = new Hono<AppEnv>();

  const find = (c: Context<AppEnv>) => {
    const { db, config } = c.get('deps');
    return findConsentCase(db, config.sessionSecret, c.req.param('requestId') ?? '', linkQuery(c));
  };

  app.get('/samtycke/:requestId', async (c) => {
    const link = await find(c);
    return link.ok ? showForm(c, link.found, {}) : refused(c, link.reason);
  });

  app.post('/samtycke/:requestId', async (c) => {
    const link = await find(c);
    if (!link.ok) return refused(c, link.reason);
    const form = await c.req.parseBody();
    const parsed = ConsentAnswerSchema.safeParse(form);
    if (!parsed.success) return showForm(c, link.found, form, fieldErrors(parsed.error));

    const { db, temporal } = c.get('deps');
    const { decision, comment } = parsed.data;
    // The comment is personal free text: it stays in the database, the workflow gets the decision.
    // It is stored only once the decision took effect, so a refused answer changes nothing.
    const result = await enrolmentCommands.managerDecision(temporal, link.found.workflowId, { consentRequestId: link.found.requestId, decision });
    if (!result.ok) {
      if (result.code === 'unreachable' || result.code === 'not-started') return refused(c, 'unavailable');
      return refused(c, result.code === 'used' || result.code === 'expired' ? result.code : 'closed');
    }
    if (comment) await db.consentRequest.updateMany({ where: { id: link.found.requestId, decision }, data: { comment } });
    return trainingPage(c, '/consent/views/thanks', { title: c.get('t')('trainings.consent.thanks.title'), found: link.found, decision });
  });

  return app;
}
