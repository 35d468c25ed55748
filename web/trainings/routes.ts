// Trainings for professionals (R6.1–R6.3): the public list, one training, and the enrolment form.
// The form works without JavaScript, re-renders with each message beside its field, shows the
// answers to check before they are sent and may be saved as a draft (web/apply/formFlow, issue 16);
// a double submit lands on the same case; the workflow then asks the manager for consent (R6.2).
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
import { loadDraft, type DraftAnswers } from '../../lib/cases/drafts';
import { formatPhone } from '../../lib/validation/phone';
import { draftInfo, handleFormPost, showCheckPage } from '../apply/formFlow';
import type { AppEnv } from '../context';
import { formatKronor } from '../../lib/invoices/money';
import { render, type ViewData } from '../render';
import { requireUser } from '../security/guards';
import { rateLimit } from '../security/rateLimit';
import { closedCourse, showClosedCourse } from '../public/closedCourse';
import { getOpenTraining, listOpenTrainings, type Training } from './trainings';

/** Every training page shows the fee: the views get a formatter in the reader's language. */
export function trainingPage(c: Context<AppEnv>, view: string, data: ViewData, status: 200 | 404 | 410 | 422 | 503 = 200) {
  return render(c, view, { ...data, kronor: (ore: number) => formatKronor(ore, c.get('lang')) }, status);
}

async function trainingOr404(c: Context<AppEnv>): Promise<Training> {
  const training = await getOpenTraining(c.get('deps').db, c.req.param('id') ?? '');
  if (!training) throw new HTTPException(404);
  return training;
}

/** The enrolment's fields, in the order the form and the check page show them, and the form's own key. */
const ENROLMENT_FIELDS = ['name', 'phone', 'workplace', 'jobTitle', 'managerName', 'managerEmail', 'message'] as const;
const DRAFT_FIELDS = [...ENROLMENT_FIELDS, 'submissionKey'] as const;
const formPath = (training: Training) => `/utbildningar/${training.id}/anmal`;

async function showForm(c: Context<AppEnv>, training: Training, values: Record<string, unknown>, errors?: Record<string, string>, resumedUntil: Date | null = null) {
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
      ...draftInfo(resumedUntil),
    },
    errors ? 422 : 200,
  );
}

/**
 * The answers before they are sent: checked once the form was, so they parse. `managerDomains`:
 * the admin's employer domains (issue 14); the check page reads answers without them, as answers
 * that passed with them also pass without.
 */
const answersSchema = (ownEmail: string, managerDomains: readonly string[] = []) => enrolmentFormSchema(ownEmail, managerDomains).omit({ consent: true });

function showCheck(c: Context<AppEnv>, training: Training, answers: DraftAnswers, errors?: Record<string, string>) {
  const user = c.get('user')!;
  const parsed = answersSchema(user.email).parse(answers);
  const t = c.get('t');
  const row = (field: (typeof ENROLMENT_FIELDS)[number], value: string) => ({ field, label: t(`trainings.fields.${field}`), value: value || t('forms.check.empty') });
  return showCheckPage(c, {
    formPath: formPath(training),
    courseName: training.title,
    rows: [
      row('name', parsed.name),
      row('phone', parsed.phone ? formatPhone(parsed.phone) : ''),
      { field: 'email', label: t('fields.email'), value: user.email, hint: t('forms.check.emailHint'), changeable: false },
      row('workplace', parsed.workplace),
      row('jobTitle', parsed.jobTitle),
      row('managerName', parsed.managerName),
      row('managerEmail', parsed.managerEmail),
      row('message', parsed.message),
    ],
    hidden: Object.fromEntries(DRAFT_FIELDS.map((f) => [f, answers[f] ?? ''])),
    consentLabel: t('trainings.form.consent'),
    submitLabel: t('trainings.form.submit'),
    errors,
  });
}

export function trainingRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/utbildningar', async (c) => {
    const trainings = await listOpenTrainings(c.get('deps').db);
    return trainingPage(c, '/trainings/views/list', { title: c.get('t')('trainings.title'), trainings });
  });

  app.get('/utbildningar/:id', async (c) => {
    const closed = await closedCourse(c, c.req.param('id'));
    if (closed && closed.kind === 'training') return showClosedCourse(c, closed);
    const training = await trainingOr404(c);
    return trainingPage(c, '/trainings/views/training', { title: training.title, training });
  });

  app.use('/utbildningar/:id/anmal', requireUser);
  app.use('/utbildningar/:id/anmal/*', requireUser);

  app.get('/utbildningar/:id/anmal', async (c) => {
    const closed = await closedCourse(c, c.req.param('id'));
    if (closed && closed.kind === 'training') return showClosedCourse(c, closed);
    const training = await trainingOr404(c);
    const { db } = c.get('deps');
    const userId = c.get('user')!.id;
    const draft = await loadDraft(db, userId, training.id);
    if (draft) return showForm(c, training, { submissionKey: randomUUID(), ...draft.answers }, undefined, draft.expiresAt);
    const person = await db.person.findUniqueOrThrow({ where: { id: userId } });
    return showForm(c, training, { name: person.name ?? '', phone: person.phone ?? '', submissionKey: randomUUID() });
  });

  app.get('/utbildningar/:id/anmal/kontrollera', async (c) => {
    const training = await trainingOr404(c);
    const user = c.get('user')!;
    const draft = await loadDraft(c.get('deps').db, user.id, training.id);
    const { managerEmailDomains } = await loadEnrolmentRules(c.get('deps').db);
    if (!draft || !answersSchema(user.email, managerEmailDomains).safeParse(draft.answers).success) return c.redirect(formPath(training), 303);
    return showCheck(c, training, draft.answers);
  });

  // Per person, not per address: colleagues share their workplace's network.
  app.post('/utbildningar/:id/anmal', rateLimit('enrol', 20, 15 * 60 * 1000, (c) => c.get('user')!.id), async (c) => {
    const training = await trainingOr404(c);
    const user = c.get('user')!;
    const { db, temporal, config } = c.get('deps');
    const { managerEmailDomains } = await loadEnrolmentRules(db);
    return handleFormPost(c, {
      courseId: training.id,
      draftFields: DRAFT_FIELDS,
      answers: answersSchema(user.email, managerEmailDomains),
      sendable: enrolmentFormSchema(user.email, managerEmailDomains),
      checkPath: `${formPath(training)}/kontrollera`,
      showForm: (values, errors) => showForm(c, training, values, errors),
      showCheck: (values, errors) => showCheck(c, training, values, errors),
      async send({ name, phone, workplace, jobTitle, managerName, managerEmail, message, submissionKey }) {
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
        if (result.ok) return { done: true, response: c.redirect(`/mina-arenden/${result.caseNumber}?ny=1`, 303) };
        if (result.code === 'already-enrolled') return { done: true, response: c.redirect(`/mina-arenden/${result.caseNumber}?redan=1`, 303) };
        throw new HTTPException(404);
      },
    });
  });

  return app;
}
