// The intake list of reports of concern (issue 16), under the counsellors' console and its guard:
// the list with status and pages, one report (audited), and the steps new → in progress → handled.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { listConcernReports, openConcernReport, stepConcernReport } from '../../lib/chat/concernIntake';
import { CONCERN_STATUSES, CONCERN_STEP_NAMES, stepsFor, type ConcernStep } from '../../rules/concernReport';
import { flashCode } from '../admin/form';
import type { AppEnv } from '../context';
import { render } from '../render';
import { CHAT_CONSOLE_PATH } from './paths';

export const CONCERN_INTAKE_PATH = `${CHAT_CONSOLE_PATH}/orosanmalningar`;
/** The list's filters: the statuses, every report not handled yet, and all. */
const FILTERS = ['open', ...CONCERN_STATUSES, 'all'] as const;
const STEP_PATHS: Record<ConcernStep, string> = { take: 'ta', handle: 'hanterad', reopen: 'ateroppna' };

const ListQuery = z.object({
  status: z.enum(FILTERS).catch('open'),
  sida: z.coerce.number().int().min(1).max(100_000).catch(1),
});

function reportNumber(c: Context<AppEnv>): string {
  const caseNumber = c.req.param('caseNumber') ?? '';
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw new HTTPException(404);
  return caseNumber;
}

export function concernIntakeRoutes() {
  const app = new Hono<AppEnv>();

  app.get(CONCERN_INTAKE_PATH, async (c) => {
    const q = ListQuery.parse(c.req.query());
    const list = await listConcernReports(c.get('deps').db, { status: q.status, page: q.sida });
    const query = (page: number) => new URLSearchParams({ status: q.status, sida: String(page) }).toString();
    return render(c, '/chat-console/views/concernIntake', { title: c.get('t')('concerns.title'), list, filter: q.status, filters: FILTERS, query });
  });

  app.get(`${CONCERN_INTAKE_PATH}/:caseNumber`, async (c) => {
    const caseNumber = reportNumber(c);
    const report = await openConcernReport(c.get('deps').db, caseNumber, c.get('user')!.id);
    if (!report) throw new HTTPException(404);
    return render(c, '/chat-console/views/concernReport', {
      title: `${c.get('t')('chatConsole.concern.title')} ${report.caseNumber}`,
      report,
      steps: stepsFor(report.status).map((step) => ({ step, path: `${CONCERN_INTAKE_PATH}/${report.caseNumber}/${STEP_PATHS[step]}` })),
      done: flashCode(c.req.query('klart'), CONCERN_STEP_NAMES),
      refused: c.req.query('fel') === 'not-allowed',
    });
  });

  for (const step of CONCERN_STEP_NAMES) {
    app.post(`${CONCERN_INTAKE_PATH}/:caseNumber/${STEP_PATHS[step]}`, async (c) => {
      const caseNumber = reportNumber(c);
      const result = await stepConcernReport(c.get('deps').db, caseNumber, step, c.get('user')!.id);
      if (!result.ok && result.reason === 'not-found') throw new HTTPException(404);
      const back = `${CONCERN_INTAKE_PATH}/${caseNumber}`;
      return c.redirect(result.ok ? `${back}?klart=${step}` : `${back}?fel=not-allowed`, 303);
    });
  }

  return app;
}
