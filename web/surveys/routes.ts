// Surveys (R2.7, R3.5, R4.3, R4.4, R5.5, R5.6): the parent answers through the link's token (no
// login needed); the leader or guide reads the compiled, anonymous results of their course.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { mayHandleFromResults, maySeeSurveyResults } from '../../lib/policy';
import { courseFor } from '../../lib/policy/load';
import { findInvitation, storeAnswers, type Invitation } from '../../lib/surveys/answering';
import { checkAnswers, localized, SCALE_MAX, SCALE_MIN, TEXT_MAX } from '../../lib/surveys/definitions';
import { formatPairingCode, newPairingCode, parsePairingCode } from '../../lib/surveys/pairing';
import { courseResults, MIN_GROUP } from '../../lib/surveys/results';
import * as parentCommands from '../../lib/commands/parentApplication';
import type { AppEnv } from '../context';
import { render } from '../render';
import { intlLocale } from '../../lib/i18n';
import { requireArea } from '../security/guards';
import { fidelityChart } from './fidelityChart';

async function invitationOr404(c: Context<AppEnv>): Promise<Invitation> {
  const invitation = await findInvitation(c.get('deps').db, c.req.param('token') ?? '');
  if (!invitation) throw new HTTPException(404);
  return invitation;
}

/** Helpers the survey views share: texts in the reader's language and numbers in its notation. */
function viewHelpers(c: Context<AppEnv>) {
  const lang = c.get('lang');
  const locale = intlLocale(lang);
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  return {
    text: (item: { text: string; translations?: Record<string, string> }) => localized(item, lang),
    num: (n: number | null) => (n === null ? '–' : decimal.format(n)),
    change: (n: number) => signed.format(n),
    percent: (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}\u00a0%`),
    scale: { min: SCALE_MIN, max: SCALE_MAX },
    textMax: TEXT_MAX,
  };
}

function showForm(c: Context<AppEnv>, invitation: Invitation, values: Record<string, unknown> = {}, errors?: Record<string, string>) {
  return render(
    c,
    '/surveys/views/form',
    { title: c.get('t')(`surveys.kinds.${invitation.survey.kind}`), invitation, values, errors, ...viewHelpers(c) },
    errors ? 422 : 200,
  );
}

export function surveyRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/enkat/:token', async (c) => {
    const invitation = await invitationOr404(c);
    if (invitation.used) return render(c, '/surveys/views/alreadyAnswered', { title: c.get('t')('surveys.already.title') });
    return showForm(c, invitation);
  });

  app.post('/enkat/:token', async (c) => {
    const invitation = await invitationOr404(c);
    const form = await c.req.parseBody({ all: true });
    const checked = checkAnswers(invitation.questions, form);
    const asksCode = invitation.survey.kind === 'postMeasurement';
    const pairing = asksCode ? parsePairingCode(form.pairingCode) : ({ ok: true, code: null } as const);
    if (!checked.ok || !pairing.ok) {
      const errors = { ...(checked.ok ? {} : checked.errors), ...(pairing.ok ? {} : { pairingCode: 'surveys.errors.pairingCode' }) };
      return showForm(c, invitation, form, errors);
    }

    const deps = c.get('deps');
    const code = invitation.survey.kind === 'preMeasurement' ? newPairingCode() : pairing.code;
    const stored = await storeAnswers(deps.db, invitation, checked.answers, code);
    if (stored === 'alreadyAnswered') {
      return render(c, '/surveys/views/alreadyAnswered', { title: c.get('t')('surveys.already.title') }, 409);
    }
    // Best effort: the workflow moves on (e.g. completes the case after the final evaluation). The
    // answer is stored whatever happens here, and nothing is logged (the token must not appear).
    await parentCommands.surveyAnswered(deps.temporal, invitation.application.workflowId, { kind: invitation.survey.kind });
    return render(c, '/surveys/views/thanks', {
      title: c.get('t')('surveys.thanks.title'),
      pairingCode: invitation.survey.kind === 'preMeasurement' && code ? formatPairingCode(code) : null,
      caseNumber: c.get('user')?.id === invitation.application.personId ? invitation.application.caseNumber : null,
    });
  });

  app.use('/personal/kurser/:courseId/utvardering', requireArea('surveyResults'));
  app.get('/personal/kurser/:courseId/utvardering', async (c) => {
    const db = c.get('deps').db;
    // Another district's or guide's course answers exactly like a missing one.
    const course = await courseFor(db, c.get('user')!, c.req.param('courseId'), { district: true }, maySeeSurveyResults);
    if (!course) throw new HTTPException(404);
    const results = await courseResults(db, course.id);
    const helpers = viewHelpers(c);
    const t = c.get('t');
    const chart = fidelityChart(
      results.fidelity.map((p) => ({ label: String(p.label.number), value: p.mean })),
      helpers.num,
    );
    return render(c, '/surveys/views/results', {
      title: t('surveys.results.title', { course: course.title }),
      course,
      results,
      chart,
      minGroup: MIN_GROUP,
      canHandle: mayHandleFromResults(c.get('user')!),
      ...helpers,
    });
  });

  return app;
}
