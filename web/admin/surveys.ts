// The admin's survey editor: a new version of a survey from its questions as JSON, checked by the
// same schema the answer forms are built from. Earlier versions and their answers stay as they are.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isSurveyKind, latestSurveys, publishSurveyVersion } from '../../lib/admin/surveyVersions';
import type { AppEnv } from '../context';
import { render } from '../render';
import { formValues } from './form';

const PAGE = '/personal/admin/enkater';

export function surveyEditorRoutes() {
  const app = new Hono<AppEnv>();

  app.get(PAGE, async (c) =>
    render(c, '/admin/views/surveys', { title: c.get('t')('admin.surveys.title'), surveys: await latestSurveys(c.get('deps').db) }),
  );

  app.get(`${PAGE}/:kind`, async (c) => {
    const kind = c.req.param('kind');
    if (!isSurveyKind(kind)) throw new HTTPException(404);
    const latest = (await latestSurveys(c.get('deps').db)).find((s) => s.kind === kind)!.latest;
    const values = { title: latest?.title ?? '', questions: latest ? JSON.stringify(latest.questions, null, 2) : '[]' };
    return render(c, '/admin/views/surveyEdit', { title: c.get('t')('admin.surveys.editTitle'), kind, latest, values, errors: {}, flash: c.req.query('version') });
  });

  app.post(`${PAGE}/:kind`, async (c) => {
    const kind = c.req.param('kind');
    if (!isSurveyKind(kind)) throw new HTTPException(404);
    const db = c.get('deps').db;
    const values = formValues(await c.req.parseBody(), ['title', 'questions']);
    const result = await publishSurveyVersion(db, kind, values);
    if (result.ok) return c.redirect(`${PAGE}/${kind}?version=${result.version}`, 303);
    const t = c.get('t');
    // The messages carry parameters, so they are translated here; field.eta shows them as given.
    const errors = Object.fromEntries(Object.entries(result.errors).map(([f, e]) => [f, t(e.key, e.params)]));
    const latest = (await latestSurveys(db)).find((s) => s.kind === kind)!.latest;
    return render(c, '/admin/views/surveyEdit', { title: t('admin.surveys.editTitle'), kind, latest, values, errors, flash: null }, 422);
  });

  return app;
}
