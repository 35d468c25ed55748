// The parent's own actions on a case (R2.9): withdraw at any time, with a confirmation step, and
// answer an offered seat before its deadline. Both go to the case's workflow as updates.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { loadCaseView } from '../../lib/cases/caseView';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { answerOfferUpdate } from '../../workflows/parentApplication.messages';
import { withdrawUpdate } from '../../workflows/case.messages';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';

export const WITHDRAWABLE = ['submitted', 'admitted', 'queued', 'offered', 'awaitingConsent', 'consented'];
const OfferAnswer = z.object({ answer: z.enum(['accept', 'decline']) });

async function ownCase(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const view = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadCaseView(c.get('deps'), caseNumber) : null;
  // Someone else's case answers exactly like a missing one.
  if (!view || view.personId !== c.get('user')!.id) throw new HTTPException(404);
  return view;
}

export function caseActionRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/mina-arenden/:caseNumber/*', requireUser);

  app.get('/mina-arenden/:caseNumber/aterta', async (c) => {
    const view = await ownCase(c);
    if (!WITHDRAWABLE.includes(view.status)) return c.redirect(`/mina-arenden/${view.caseNumber}`, 303);
    return render(c, '/case-actions/views/withdraw', { title: c.get('t')('caseActions.withdrawConfirmTitle'), view });
  });

  app.post('/mina-arenden/:caseNumber/aterta', async (c) => {
    const view = await ownCase(c);
    const handle = c.get('deps').temporal.workflow.getHandle(view.workflowId);
    const result = await handle
      .executeUpdate(withdrawUpdate, { args: [{ actorId: c.get('user')!.id, byStaff: false }] })
      .catch(() => ({ ok: false as const, code: 'unavailable' }));
    if (!result.ok && WITHDRAWABLE.includes(view.status)) {
      return render(c, '/case-actions/views/withdraw', { title: c.get('t')('caseActions.withdrawConfirmTitle'), view, error: 'notPossible' }, 409);
    }
    return c.redirect(`/mina-arenden/${view.caseNumber}`, 303);
  });

  app.post('/mina-arenden/:caseNumber/erbjudande', async (c) => {
    const view = await ownCase(c);
    const parsed = OfferAnswer.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const handle = c.get('deps').temporal.workflow.getHandle(view.workflowId);
    await handle
      .executeUpdate(answerOfferUpdate, { args: [{ accept: parsed.data.answer === 'accept', actorId: c.get('user')!.id }] })
      .catch(() => undefined);
    // The status panel tells the outcome: admitted, back in the queue, or the offer gone.
    return c.redirect(`/mina-arenden/${view.caseNumber}#case-status`, 303);
  });

  return app;
}
