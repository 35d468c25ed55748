// Closing the term (R7.7, R8.8): the admin sends certificates to the approved participants of a
// training. Each case's workflow issues its own (once, even if asked again) and tells the person.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { approvedParticipants, listTrainings } from '../../lib/invoices/desk';
import * as enrolmentCommands from '../../lib/commands/professionalEnrolment';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import type { AppEnv } from '../context';
import { trainingOf } from './training';
import { renderFees as render } from './view';
import { requireArea } from '../security/guards';

type CertificateOutcome = Awaited<ReturnType<typeof enrolmentCommands.issueCertificate>>;

/** The training's attendance requirement for the certificate (rules/training.ts), a whole percentage. */
const RequirementForm = z.object({
  percent: z.coerce
    .number({ error: 'fees.certificates.requirement.invalid' })
    .int({ error: 'fees.certificates.requirement.invalid' })
    .min(0, { error: 'fees.certificates.requirement.invalid' })
    .max(100, { error: 'fees.certificates.requirement.invalid' }),
});

async function coursePage(c: Context<AppEnv>, course: Awaited<ReturnType<typeof trainingOf>>, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const approved = await approvedParticipants(c.get('deps').db, course.id);
  const requirement = await c.get('deps').db.course.findUniqueOrThrow({ where: { id: course.id }, select: { requiredAttendancePercent: true } });
  return render(
    c,
    '/fees/views/certificates',
    {
      title: c.get('t')('fees.certificates.courseTitle', { course: course.title }),
      course,
      approved,
      values: { percent: String(requirement.requiredAttendancePercent) },
      saved: c.req.query('krav') === 'sparat',
      ...extra,
    },
    status,
  );
}

const BASE = '/personal/intyg';

export function certificateDeskRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireArea('fees'));
  app.use(`${BASE}/*`, requireArea('fees'));

  app.get(BASE, async (c) => {
    const trainings = await listTrainings(c.get('deps').db);
    return render(c, '/fees/views/certificatesOverview', { title: c.get('t')('fees.certificates.title'), trainings });
  });

  app.get(`${BASE}/:courseId`, async (c) => coursePage(c, await trainingOf(c)));

  // The share of sessions a participant must attend for the certificate (a setting per training).
  app.post(`${BASE}/:courseId/narvarokrav`, async (c) => {
    const course = await trainingOf(c);
    const form = await c.req.parseBody();
    const parsed = RequirementForm.safeParse(form);
    if (!parsed.success) return coursePage(c, course, { values: { percent: String(form.percent ?? '') }, errors: fieldErrors(parsed.error) }, 422);
    await c.get('deps').db.course.update({ where: { id: course.id }, data: { requiredAttendancePercent: parsed.data.percent } });
    return c.redirect(`${BASE}/${course.id}?krav=sparat#requirement-heading`, 303);
  });

  // A plain post asks for confirmation; confirm=yes sends.
  app.post(`${BASE}/:courseId`, async (c) => {
    const course = await trainingOf(c);
    const deps = c.get('deps');
    const approved = await approvedParticipants(deps.db, course.id);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') {
      return render(c, '/fees/views/certificatesConfirm', { title: c.get('t')('fees.certificates.confirmTitle'), course, approved });
    }
    const actorId = c.get('user')!.id;
    const results: { caseNumber: string; name: string; outcome: CertificateOutcome }[] = [];
    // One at a time: each update waits for its workflow's activity; a burst gains nothing here.
    for (const a of approved) {
      const outcome = await enrolmentCommands.issueCertificate(deps.temporal, a.workflowId, { actorId });
      results.push({ caseNumber: a.caseNumber, name: a.person.name ?? a.person.email, outcome });
    }
    return render(c, '/fees/views/certificatesResult', {
      title: c.get('t')('fees.certificates.resultTitle'),
      course,
      results,
      issued: results.filter((r) => r.outcome.ok).length,
    });
  });

  return app;
}
