// The admin's survey builder (issue 16): a new version of a survey made in a form, question by
// question (scale, single or multiple choice, free text), added, edited, moved and removed,
// previewed as a parent will see it, and published as the kind's next version. Earlier versions
// and their answers stay as they are. Plain posts first; htmx swaps the builder in place.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { applyAction, checkDraft, draftFromQuestions, MAX_OPTIONS, MAX_QUESTIONS, QUESTION_TYPES, readDraft, type Draft } from '../../lib/admin/surveyBuilder';
import { isSurveyKind, latestSurveys, storeSurveyVersion, type SurveyKind } from '../../lib/admin/surveyVersions';
import { parseQuestions, SCALE_ANCHORS, SCALE_MAX, SCALE_MIN } from '../../lib/surveys/definitions';
import type { AppEnv } from '../context';
import { render } from '../render';

const PAGE = '/personal/admin/enkater';

function kindOf(c: Context<AppEnv>): SurveyKind {
  const kind = c.req.param('kind') ?? '';
  if (!isSurveyKind(kind)) throw new HTTPException(404);
  return kind;
}

async function latestOf(c: Context<AppEnv>, kind: SurveyKind) {
  return (await latestSurveys(c.get('deps').db)).find((s) => s.kind === kind)!.latest;
}

interface BuilderView {
  draft: Draft;
  errors?: Record<string, string>;
  preview?: boolean;
  /** The question to move focus to after a step (its new place). */
  focus?: string | null;
  flash?: string | null;
}

async function showBuilder(c: Context<AppEnv>, kind: SurveyKind, view: BuilderView, status: 200 | 422 = 200) {
  const latest = await latestOf(c, kind);
  return render(
    c,
    '/admin/views/surveyEdit',
    {
      title: c.get('t')('admin.surveys.editTitle'),
      kind,
      latest,
      draft: view.draft,
      errors: view.errors ?? {},
      preview: !!view.preview,
      focus: view.focus ?? null,
      flash: view.flash ?? null,
      types: QUESTION_TYPES,
      anchors: SCALE_ANCHORS,
      scale: { min: SCALE_MIN, max: SCALE_MAX },
      limits: { questions: MAX_QUESTIONS, options: MAX_OPTIONS },
    },
    status,
  );
}

/** The question a step leaves focus on: the moved one in its new place, the one after a removed one. */
function focusAfter(action: string, draft: Draft): string | null {
  const [verb, a] = action.split(':');
  const i = Number(a);
  if (verb === 'add') return `q${draft.questions.length - 1}`;
  if (verb === 'up') return `q${i - 1}`;
  if (verb === 'down') return `q${i + 1}`;
  if (verb === 'remove') return draft.questions.length ? `q${Math.min(i, draft.questions.length - 1)}` : 'add-question';
  return `q${i}`;
}

export function surveyEditorRoutes() {
  const app = new Hono<AppEnv>();

  app.get(PAGE, async (c) =>
    render(c, '/admin/views/surveys', { title: c.get('t')('admin.surveys.title'), surveys: await latestSurveys(c.get('deps').db) }),
  );

  app.get(`${PAGE}/:kind`, async (c) => {
    const kind = kindOf(c);
    const latest = await latestOf(c, kind);
    const draft = latest ? draftFromQuestions(latest.title, parseQuestions(latest.questions)) : { title: '', questions: [] };
    return showBuilder(c, kind, { draft, flash: c.req.query('version') && /^\d{1,6}$/.test(c.req.query('version')!) ? c.req.query('version') : null });
  });

  app.post(`${PAGE}/:kind`, async (c) => {
    const kind = kindOf(c);
    const form = await c.req.parseBody();
    const draft = readDraft(form);
    const action = typeof form.action === 'string' ? form.action : 'publish';
    if (action === 'preview') return showBuilder(c, kind, { draft, preview: true, focus: 'preview' });
    if (action !== 'publish') {
      const next = applyAction(draft, action);
      return showBuilder(c, kind, { draft: next ?? draft, focus: next ? focusAfter(action, next) : null });
    }
    const checked = checkDraft(draft);
    if (!checked.ok) {
      // htmx swaps only 2xx answers, so it gets the messages as 200; a plain browser 422.
      const status = c.req.header('hx-request') === 'true' ? 200 : 422;
      return showBuilder(c, kind, { draft, errors: checked.errors }, status);
    }
    const version = await storeSurveyVersion(c.get('deps').db, kind, checked.title, checked.questions);
    const target = `${PAGE}/${kind}?version=${version}`;
    if (c.req.header('hx-request') === 'true') {
      c.header('HX-Redirect', target);
      return c.body(null, 204);
    }
    return c.redirect(target, 303);
  });

  return app;
}
