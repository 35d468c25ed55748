// Closing the term (R7.7, R8.8): the admin sends certificates to the approved participants of a
// training. Each case's workflow issues its own (once, even if asked again) and tells the person.
import { Hono } from 'hono';
import { approvedParticipants, listTrainings } from '../../lib/invoices/desk';
import type { AppEnv } from '../context';
import { trainingOf } from './training';
import { renderFees as render } from './view';
import { requireRole } from '../security/guards';
import { askForCertificate, type CertificateOutcome } from './workflowMessages';

const BASE = '/personal/intyg';

export function certificateDeskRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireRole('admin'));
  app.use(`${BASE}/*`, requireRole('admin'));

  app.get(BASE, async (c) => {
    const trainings = await listTrainings(c.get('deps').db);
    return render(c, '/fees/views/certificatesOverview', { title: c.get('t')('fees.certificates.title'), trainings });
  });

  app.get(`${BASE}/:courseId`, async (c) => {
    const course = await trainingOf(c);
    const approved = await approvedParticipants(c.get('deps').db, course.id);
    return render(c, '/fees/views/certificates', { title: c.get('t')('fees.certificates.courseTitle', { course: course.title }), course, approved });
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
      results.push({ caseNumber: a.caseNumber, name: a.person.name ?? a.person.email, outcome: await askForCertificate(deps, a.workflowId, actorId) });
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
