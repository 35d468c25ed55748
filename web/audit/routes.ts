// Audit routes (R11.5): stating the reason for opening a case.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { recordAudit, reasonText, StatedReasonSchema } from '../../lib/audit/auditTrail';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import type { AppEnv } from '../context';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { render } from '../render';
import { requireUser } from '../security/guards';
import { reasonFormData, RETURN_TO_PATTERN, withPass } from './reasonGate';

export function auditRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/personal/atkomst', requireUser, async (c) => {
    const user = c.get('user')!;
    if (!user.isStaff) throw new HTTPException(403);
    const form = await c.req.parseBody();
    const caseNumber = typeof form.caseNumber === 'string' ? form.caseNumber : '';
    const returnTo = typeof form.returnTo === 'string' ? form.returnTo : '';
    if (!CASE_NUMBER_PATTERN.test(caseNumber) || !RETURN_TO_PATTERN.test(returnTo) || returnTo.includes('//')) {
      throw new HTTPException(400);
    }
    const app = await c.get('deps').db.application.findUnique({ where: { caseNumber }, select: { id: true } });
    if (!app) throw new HTTPException(404);
    const parsed = StatedReasonSchema.safeParse({ purpose: form.purpose, detail: form.detail });
    if (!parsed.success) {
      const values = { purpose: String(form.purpose ?? ''), detail: String(form.detail ?? '') };
      return render(c, '/audit/views/reasonForm', reasonFormData(c, { caseNumber, returnTo }, { errors: fieldErrors(parsed.error), values }), 422);
    }
    await recordAudit(c.get('deps').db, {
      actorId: user.id,
      action: 'caseOpened',
      applicationId: app.id,
      caseNumber,
      reason: reasonText(parsed.data),
    });
    return c.redirect(withPass(c, { applicationId: app.id, caseNumber, returnTo }), 303);
  });

  return app;
}
