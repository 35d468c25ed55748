// "Mina ärenden" (R2.6, R11.2): the citizen's own cases, with a status panel that polls while the
// process runs. One partial serves the page and the htmx fragment.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { loadCaseView } from '../../lib/cases/caseView';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';

async function ownCase(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const view = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadCaseView(c.get('deps'), caseNumber) : null;
  // Someone else's case answers exactly like a missing one.
  if (!view || view.personId !== c.get('user')!.id) throw new HTTPException(404);
  return view;
}

export function myCasesRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/mina-arenden', requireUser);
  app.use('/mina-arenden/*', requireUser);

  app.get('/mina-arenden', async (c) => {
    const cases = await c.get('deps').db.application.findMany({
      where: { personId: c.get('user')!.id },
      include: { course: { include: { district: true } } },
      orderBy: { submittedAt: 'desc' },
    });
    return render(c, '/my-cases/views/list', { title: c.get('t')('myCases.title'), cases });
  });

  app.get('/mina-arenden/:caseNumber', async (c) => {
    const view = await ownCase(c);
    return render(c, '/my-cases/views/case', {
      title: view.caseNumber,
      view,
      justSubmitted: c.req.query('ny') === '1',
      alreadyApplied: c.req.query('redan') === '1',
    });
  });

  app.get('/mina-arenden/:caseNumber/status', async (c) => {
    return render(c, '/my-cases/views/status', { view: await ownCase(c) });
  });

  return app;
}
