// Trainings for professionals (R6.1–R6.3): the public list, one training, and the enrolment form.
// The form works without JavaScript, re-renders with each message beside its field, and a double
// submit lands on the same case; the workflow then asks the manager for consent (R6.2).
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  ENROLMENT_MESSAGE_MAX,
  enrolmentFormSchema,
  JOB_TITLE_MAX,
  WORKPLACE_MAX,
} from '../../lib/enrolments/enrolmentInput';
import { submitEnrolment } from '../../lib/enrolments/submitEnrolment';
import { loadEnrolmentRules } from '../../lib/settings';
import type { AppEnv } from '../context';
import { formatKronor } from '../../lib/invoices/money';
import { render, type ViewData } from '../render';
import { requireUser } from '../security/guards';
import { rateLimit } from '../security/rateLimit';
import { getOpenTraining, listOpenTrainings, type Training } from './trainings';
import { fieldErrors } from '../../lib/validation/fieldErrors';

/** Every training page shows the fee: the views get a formatter in the reader's language. */
export function trainingPage(c: Context<AppEnv>, view: string, data: ViewData, status: 200 | 404 | 410 | 422 | 503 = 200) {
  return render(c, view, { ...data, kronor: (ore: number) => formatKronor(ore, c.get('lang')) }, status);
}

async function trainingOr404(c: Context<AppEnv>): Promise<Training> {
  const training = await getOpenTraining(c.get('deps').db, c.req.param('id') ?? '');
  if (!training) throw new HTTPException(404);
  return training;
}

async function showForm(c: Context<AppEnv>, training: Training, values: Record<string, unknown>, errors?: Record<string, string>) {
  const { managerEmailDomains } = await loadEnrolmentRules(c.get('deps').db);
  return trainingPage(
    c,
    '/trainings/views/form',
    {
      title: c.get('t')('trainings.form.title'),
      training,
      values,
      errors,
      limits: { workplace: WORKPLACE_MAX, jobTitle: JOB_TITLE_MAX, message: ENROLMENT_MESSAGE_MAX },
      managerDomains: managerEmailDomains.map((d) => `@${d}`).join(', '),
    },
    errors ? 422 : 200,
  );
}

export function trainingRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/utbildningar', async (c) => {
    const trainings = await listOpenTrainings(c.get('deps').db);
    return trainingPage(c, '/trainings/views/list', { title: c.get('t')('trainings.title'), trainings });
  });

  app.get('/utbildningar/:id', async (c) => {
    const training = await trainingOr404(c);
    return trainingPage(c, '/trainings/views/training', { title: training.title, training });
  });

  app.use('/utbildningar/:id/anmal', requireUser);

  app.get('/utbildningar/:id/anmal', async (c) => {
    const training = await trainingOr404(c);
    const person = await c.get('deps').db.person.findUniqueOrThrow({ where: { id: c.get('user')!.id } });
    return showForm(c, training, { name: person.name ?? '', phone: person.phone ?? '', submissionKey: randomUUID() });
  });

  // Per person, not per address: colleagues share their workplace's network.
  app.post('/utbildningar/:id/anmal', rateLimit('enrol', 20, 15 * 60 * 1000, (c) => c.get('user')!.id), async (c) => {
    const training = await trainingOr404(c);
    const user = c.get('user')!;
    const form = await c.req.parseBody();
    const values = { ...form, submissionKey: typeof form.submissionKey === 'string' ? form.submissionKey : randomUUID() };
    const { managerEmailDomains } = await loadEnrolmentRules(c.get('deps').db);
    const parsed = enrolmentFormSchema(user.email, managerEmailDomains).safeParse(form);
    if (!parsed.success) return showForm(c, training, values, fieldErrors(parsed.error));

    const { db, temporal, config } = c.get('deps');
    const { name, phone, workplace, jobTitle, managerName, managerEmail, message, submissionKey } = parsed.data;
    const result = await submitEnrolment(
      { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE },
      {
        personId: user.id,
        courseId: training.id,
        name,
        phone,
        answers: { workplace, jobTitle, managerName, managerEmail, message },
        idempotencyKey: `enrol:${user.id}:${submissionKey}`,
      },
    );
    if (result.ok) return c.redirect(`/mina-arenden/${result.caseNumber}?ny=1`, 303);
    if (result.code === 'already-enrolled') return c.redirect(`/mina-arenden/${result.caseNumber}?redan=1`, 303);
    throw new HTTPException(404);
  });

  return app;
}
