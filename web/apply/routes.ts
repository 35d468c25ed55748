// The parent's application form (R2.1–R2.3, R4.1): plain HTML first, validated on the server,
// re-rendered with each message beside its field; a double submit lands on the same case.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApplicationFormSchema, MESSAGE_MAX } from '../../lib/cases/applicationInput';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { submitApplication } from '../../lib/cases/submitApplication';
import { getOpenCourse, type CatalogCourse } from '../../lib/courses/catalog';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';
import { rateLimit } from '../security/rateLimit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function courseOr404(c: Context<AppEnv>): Promise<CatalogCourse> {
  const id = c.req.param('id') ?? '';
  const course = UUID.test(id) ? await getOpenCourse(c.get('deps').db, id) : null;
  if (!course || course.kind === 'training') throw new HTTPException(404);
  return course;
}

function showForm(c: Context<AppEnv>, course: CatalogCourse, values: Record<string, unknown>, errors?: Record<string, string>) {
  return render(
    c,
    '/apply/views/form',
    { title: c.get('t')('apply.title'), course, values, errors, messageMax: MESSAGE_MAX },
    errors ? 422 : 200,
  );
}

export function applyRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/kurser/:id/ansok', requireUser);

  app.get('/kurser/:id/ansok', async (c) => {
    const course = await courseOr404(c);
    const person = await c.get('deps').db.person.findUniqueOrThrow({ where: { id: c.get('user')!.id } });
    return showForm(c, course, {
      name: person.name ?? '',
      personnummer: person.personnummer ?? '',
      phone: person.phone ?? '',
      submissionKey: randomUUID(),
    });
  });

  // Per person, not per address: parents may share a library's or a workplace's network.
  app.post('/kurser/:id/ansok', rateLimit('apply', 20, 15 * 60 * 1000, (c) => c.get('user')!.id), async (c) => {
    const course = await courseOr404(c);
    const form = await c.req.parseBody();
    const values = { ...form, submissionKey: typeof form.submissionKey === 'string' ? form.submissionKey : randomUUID() };
    const parsed = ApplicationFormSchema.safeParse(form);
    if (!parsed.success) return showForm(c, course, values, fieldErrors(parsed.error));

    const user = c.get('user')!;
    const { db, temporal, config } = c.get('deps');
    const { submissionKey, consent: _consent, ...details } = parsed.data;
    const result = await submitApplication(
      { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE },
      { personId: user.id, courseId: course.id, details, idempotencyKey: `form:${user.id}:${submissionKey}`, actor: user.id },
    );
    if (result.ok) return c.redirect(`/mina-arenden/${result.caseNumber}?ny=1`, 303);
    if (result.code === 'already-applied') return c.redirect(`/mina-arenden/${result.caseNumber}?redan=1`, 303);
    if (result.code === 'personnummer-taken') return showForm(c, course, values, { personnummer: 'errors.personnummer.taken' });
    throw new HTTPException(404);
  });

  return app;
}
