// Audit routes (R11.5): stating the reason for opening a case; central's review of the trail.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { recordAudit, reasonText, StatedReasonSchema, type AuditPurpose } from '../../lib/audit/auditTrail';
import {
  AUDIT_ACTIONS,
  auditCsvLines,
  auditQueryString,
  isFiltered,
  loadAuditPage,
  parseAuditReviewQuery,
  type AuditCsvLabels,
} from '../../lib/audit/auditReview';
import { stockholmDateString } from '../../lib/time';
import { translator } from '../../lib/i18n';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { safeRedirectTarget } from '../../lib/auth/redirectTarget';
import type { AppEnv } from '../context';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { render } from '../render';
import { gatedCase } from '../../lib/policy/load';
import { requireArea, requireUser } from '../security/guards';
import { reasonFormData, RETURN_TO_PATTERN, withPass } from './reasonGate';

export function auditRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/personal/atkomst', requireUser, async (c) => {
    const user = c.get('user')!;
    if (!user.isStaff) throw new HTTPException(403);
    const form = await c.req.parseBody();
    const caseNumber = typeof form.caseNumber === 'string' ? form.caseNumber : '';
    const returnTo = safeRedirectTarget(form.returnTo, '');
    if (!CASE_NUMBER_PATTERN.test(caseNumber) || !RETURN_TO_PATTERN.test(returnTo) || returnTo.includes('//')) {
      throw new HTTPException(400);
    }
    // Only a case the user may open: another district's case answers like a missing one, and
    // neither writes an entry nor tells whether the number exists.
    const app = await gatedCase(c.get('deps').db, user, caseNumber);
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

  // The review of the trail, for central only. Reading it is not itself written to the trail: the
  // trail records looks at citizens' cases and searches for citizens, while this page shows staff
  // activity to the one role that supervises it; an entry per review would also fill the trail
  // with entries about reviewing entries (and the export of those, and so on). Who holds the
  // central role is itself controlled (role grants by the administrator).
  app.use('/personal/granskning', requireArea('auditReview'));
  app.use('/personal/granskning/*', requireArea('auditReview'));

  app.get('/personal/granskning', async (c) => {
    const parsed = parseAuditReviewQuery(c.req.query());
    const data = parsed.ok
      ? {
          values: parsed.filter,
          query: auditQueryString(parsed.filter),
          filtered: isFiltered(parsed.filter),
          list: await loadAuditPage(c.get('deps').db, parsed.filter),
        }
      : { values: parsed.values, query: '', filtered: true, list: null, errors: parsed.errors };
    // htmx swaps only 2xx answers, so it gets the messages as 200; a plain browser 400.
    const status = parsed.ok || c.req.header('hx-request') === 'true' ? 200 : 400;
    const view = c.req.header('hx-target') === 'audit-list' ? '/audit/views/reviewList' : '/audit/views/review';
    return render(c, view, { title: c.get('t')('audit.review.title'), actions: AUDIT_ACTIONS, ...data }, status);
  });

  app.get('/personal/granskning/export', async (c) => {
    const parsed = parseAuditReviewQuery(c.req.query());
    // The review page explains what is wrong with the filter.
    if (!parsed.ok) return c.redirect(`/personal/granskning?${new URLSearchParams(parsed.values)}`, 303);
    const lines = auditCsvLines(c.get('deps').db, parsed.filter, csvLabels());
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const fileName = `${translator('sv')('audit.csv.fileName')}-${stockholmDateString(new Date())}.csv`;
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    });
  });

  return app;
}

/** The export is in Swedish, like the city's other exports. */
function csvLabels(): AuditCsvLabels {
  const sv = translator('sv');
  return {
    header: [
      sv('audit.csv.time'),
      sv('audit.csv.name'),
      sv('audit.csv.email'),
      sv('audit.csv.action'),
      sv('audit.csv.caseNumber'),
      sv('audit.csv.purpose'),
      sv('audit.csv.reason'),
      sv('audit.csv.searchTerms'),
    ],
    action: (a) => sv(`audit.actions.${a}`),
    purpose: (p: AuditPurpose) => sv(`audit.purpose.${p}`),
    ownCase: sv('audit.review.ownCase'),
  };
}
