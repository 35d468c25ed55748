// The parent's application form (R2.1–R2.3, R4.1, issue 16): fill in, check your answers (each
// with a change link), send. Plain HTML first, validated on the server, re-rendered with each
// message beside its field; the answers may be saved as a draft and taken up again from Mina
// ärenden; a double submit lands on the same case, and the draft goes once the case exists.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { APPLICATION_FIELDS, ApplicationAnswersSchema, ApplicationFormSchema, MESSAGE_MAX } from '../../lib/cases/applicationInput';
import { loadDraft, type DraftAnswers } from '../../lib/cases/drafts';
import { provedPersonnummer } from '../../lib/auth/eid';
import { formatPhone } from '../../lib/validation/phone';
import { submitApplication } from '../../lib/cases/submitApplication';
import { getOpenCourse, type CatalogCourse } from '../../lib/courses/catalog';
import type { AppEnv } from '../context';
import { render } from '../render';
import { closedCourse, showClosedCourse } from '../public/closedCourse';
import { requireUser } from '../security/guards';
import { rateLimit } from '../security/rateLimit';
import { draftInfo, handleFormPost, showCheckPage } from './formFlow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What a draft of this form keeps: the answers and the form's own key (one case per form). */
const DRAFT_FIELDS = [...APPLICATION_FIELDS, 'submissionKey'] as const;

async function courseOr404(c: Context<AppEnv>): Promise<CatalogCourse> {
  const id = c.req.param('id') ?? '';
  const course = UUID.test(id) ? await getOpenCourse(c.get('deps').db, id) : null;
  if (!course || course.kind === 'training') throw new HTTPException(404);
  return course;
}

const formPath = (course: CatalogCourse) => `/kurser/${course.id}/ansok`;
const courseName = (c: Context<AppEnv>, course: CatalogCourse) => `${course.title}, ${course.district ? course.district.name : c.get('t')('courses.web')}`;

async function showForm(c: Context<AppEnv>, course: CatalogCourse, values: Record<string, unknown>, errors?: Record<string, string>, resumedUntil: Date | null = null) {
  // A personnummer proved by e-legitimation is shown, locked (issue 15).
  const proved = await provedPersonnummer(c.get('deps').db, c.get('user')!.id);
  return render(
    c,
    '/apply/views/form',
    { title: c.get('t')('apply.title'), course, values, errors, messageMax: MESSAGE_MAX, provedPersonnummer: proved, ...draftInfo(resumedUntil) },
    errors ? 422 : 200,
  );
}

/** The check page: the answers as they will be stored, each with its change link. */
async function showCheck(c: Context<AppEnv>, course: CatalogCourse, answers: DraftAnswers, errors?: Record<string, string>) {
  const proved = await provedPersonnummer(c.get('deps').db, c.get('user')!.id);
  const parsed = ApplicationAnswersSchema.parse(proved ? { ...answers, personnummer: proved } : answers);
  const t = c.get('t');
  const label = (field: string) => t(`fields.${field}`);
  return showCheckPage(c, {
    formPath: formPath(course),
    courseName: courseName(c, course),
    rows: [
      { field: 'name', label: label('name'), value: parsed.name },
      { field: 'personnummer', label: label('personnummer'), value: parsed.personnummer, ...(proved ? { hint: t('apply.hints.personnummerProved'), changeable: false } : {}) },
      { field: 'phone', label: label('phone'), value: formatPhone(parsed.phone) },
      { field: 'email', label: label('email'), value: c.get('user')!.email, hint: t('forms.check.emailHint'), changeable: false },
      { field: 'childAge', label: label('childAge'), value: t('forms.check.years', { age: parsed.childAge }) },
      { field: 'message', label: label('message'), value: parsed.message || t('forms.check.empty') },
    ],
    hidden: Object.fromEntries(DRAFT_FIELDS.map((f) => [f, answers[f] ?? ''])),
    consentLabel: t('apply.consent'),
    submitLabel: t('apply.submit'),
    errors,
  });
}

export function applyRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/kurser/:id/ansok', requireUser);
  app.use('/kurser/:id/ansok/*', requireUser);

  app.get('/kurser/:id/ansok', async (c) => {
    const closed = await closedCourse(c, c.req.param('id'));
    if (closed && closed.kind !== 'training') return showClosedCourse(c, closed);
    const course = await courseOr404(c);
    const { db } = c.get('deps');
    const userId = c.get('user')!.id;
    const draft = await loadDraft(db, userId, course.id);
    if (draft) return showForm(c, course, { submissionKey: randomUUID(), ...draft.answers }, undefined, draft.expiresAt);
    const person = await db.person.findUniqueOrThrow({ where: { id: userId } });
    return showForm(c, course, {
      name: person.name ?? '',
      personnummer: person.personnummer ?? '',
      phone: person.phone ?? '',
      submissionKey: randomUUID(),
    });
  });

  // Per person, not per address: parents may share a library's or a workplace's network.
  // Per person, not per address: parents may share a library's or a workplace's network.
  app.post('/kurser/:id/ansok', rateLimit('apply', 20, 15 * 60 * 1000, (c) => c.get('user')!.id), async (c) => {
    const course = await courseOr404(c);
    const user = c.get('user')!;
    const { db, temporal, config } = c.get('deps');
    // A proved personnummer is the one sent, whatever the form says.
    const proved = await provedPersonnummer(db, user.id);
    return handleFormPost(c, {
      courseId: course.id,
      fixed: proved ? { personnummer: proved } : undefined,
      draftFields: DRAFT_FIELDS,
      answers: ApplicationAnswersSchema,
      sendable: ApplicationFormSchema,
      checkPath: `${formPath(course)}/kontrollera`,
      showForm: (values, errors) => showForm(c, course, values, errors),
      showCheck: (values, errors) => showCheck(c, course, values, errors),
      async send({ submissionKey, consent: _consent, ...details }, values) {
        const result = await submitApplication(
          { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE },
          { personId: user.id, courseId: course.id, details, idempotencyKey: `form:${user.id}:${submissionKey}`, actor: user.id },
        );
        if (result.ok) return { done: true, response: c.redirect(`/mina-arenden/${result.caseNumber}?ny=1`, 303) };
        if (result.code === 'already-applied') return { done: true, response: c.redirect(`/mina-arenden/${result.caseNumber}?redan=1`, 303) };
        if (result.code === 'personnummer-taken') {
          return { done: false, response: await showForm(c, course, values, { personnummer: 'errors.personnummer.taken' }) };
        }
        throw new HTTPException(404);
      },
    });
  });

  app.get('/kurser/:id/ansok/kontrollera', async (c) => {
    const course = await courseOr404(c);
    const draft = await loadDraft(c.get('deps').db, c.get('user')!.id, course.id);
    // Nothing to check yet (or it no longer holds): the form, where the messages are.
    const proved = draft && (await provedPersonnummer(c.get('deps').db, c.get('user')!.id));
    const answers = draft && proved ? { ...draft.answers, personnummer: proved } : draft?.answers;
    if (!answers || !ApplicationAnswersSchema.safeParse(answers).success) return c.redirect(formPath(course), 303);
    return showCheck(c, course, answers);
  });

  return app;
}
