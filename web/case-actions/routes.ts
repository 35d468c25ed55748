// The parent's own actions on a case (R2.9): withdraw at any time, with a confirmation step, and
// answer an offered seat before its deadline. Both go to the case's workflow through its command
// client; a refusal is shown on the page, an unreachable workflow is the 503 page.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { loadCaseView } from '../../lib/cases/caseView';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import * as caseCommands from '../../lib/commands/case';
import * as parentCommands from '../../lib/commands/parentApplication';
import { canWithdrawCase } from '../../rules/anyCase';
import { mayActOnOwnCase, type OwnCaseAction } from '../../lib/policy';
import type { AppEnv } from '../context';
import { whenReached } from '../errors';
import { render } from '../render';
import { requireUser } from '../security/guards';

const OfferAnswer = z.object({ answer: z.enum(['accept', 'decline']) });

async function ownCase(c: Context<AppEnv>, action: OwnCaseAction) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const view = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadCaseView(c.get('deps'), caseNumber) : null;
  // Someone else's case answers exactly like a missing one.
  if (!view || !mayActOnOwnCase(c.get('user')!, view, action)) throw new HTTPException(404);
  return view;
}

export function caseActionRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/mina-arenden/:caseNumber/*', requireUser);

  app.get('/mina-arenden/:caseNumber/aterta', async (c) => {
    const view = await ownCase(c, 'withdraw');
    if (!canWithdrawCase(view).ok) return c.redirect(`/mina-arenden/${view.caseNumber}`, 303);
    return render(c, '/case-actions/views/withdraw', { title: c.get('t')('caseActions.withdrawConfirmTitle'), view });
  });

  app.post('/mina-arenden/:caseNumber/aterta', async (c) => {
    const view = await ownCase(c, 'withdraw');
    const result = whenReached(await caseCommands.withdraw(c.get('deps').temporal, view.workflowId, { actorId: c.get('user')!.id, byStaff: false }));
    if (!result.ok) {
      return render(c, '/case-actions/views/withdraw', { title: c.get('t')('caseActions.withdrawConfirmTitle'), view, refusal: result.code }, 409);
    }
    return c.redirect(`/mina-arenden/${view.caseNumber}`, 303);
  });

  app.post('/mina-arenden/:caseNumber/erbjudande', async (c) => {
    const view = await ownCase(c, 'answerOffer');
    const parsed = OfferAnswer.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const result = whenReached(
      await parentCommands.answerOffer(c.get('deps').temporal, view.workflowId, { accept: parsed.data.answer === 'accept', actorId: c.get('user')!.id }),
    );
    // The status panel tells the outcome: admitted, back in the queue, or why the answer was not taken.
    const refused = result.ok ? '' : `?nekad=${result.code}`;
    return c.redirect(`/mina-arenden/${view.caseNumber}${refused}#case-status`, 303);
  });

  return app;
}
