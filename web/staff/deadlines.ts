// Moving one case's deadline while it runs (feature table row 64): an offer's answer deadline, the
// manager's consent deadline, an invoice's due date. Staff with the right role give the new date
// and a reason; the workflow's update checks it (not in the past, the case still running), its
// timer moves and the person is told. The reason goes to the audit trail, never to Temporal.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { recordAudit } from '../../lib/audit/auditTrail';
import * as caseCommands from '../../lib/commands/case';
import { DeadlineForm, runningDeadlines, type RunningDeadline } from '../../lib/cases/deadlines';
import { mayChangeDeadline } from '../../lib/policy';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { canChangeDeadline, type DeadlineKind } from '../../rules/deadlines';
import { isClosedStatus } from '../../rules/caseStatus';
import type { AppEnv } from '../context';
import { whenReached } from '../errors';
import { render } from '../render';

interface DeadlineCase {
  id: string;
  caseNumber: string;
  status: string;
  workflowId: string;
}

const mayChange = (c: Context<AppEnv>, kind: DeadlineKind) => mayChangeDeadline(c.get('user')!, kind);

async function page(c: Context<AppEnv>, app: DeadlineCase, extra: Record<string, unknown> = {}, status: 200 | 409 | 422 = 200) {
  const deadlines = (await runningDeadlines(c.get('deps').db, app.id)).filter((d) => mayChange(c, d.kind));
  return render(c, '/staff/views/deadlines', { title: c.get('t')('deadlines.title', { caseNumber: app.caseNumber }), app, deadlines, values: {}, ...extra }, status);
}

export function showDeadlines(c: Context<AppEnv>, app: DeadlineCase) {
  return page(c, app);
}

export async function changeDeadline(c: Context<AppEnv>, app: DeadlineCase) {
  const posted = await c.req.parseBody();
  // The form's one radio group names the deadline as `kind` or `invoiceDue:<invoice id>`.
  const [kind = '', invoiceId] = (typeof posted.choice === 'string' ? posted.choice : '').split(':');
  const form = { ...posted, kind, invoiceId };
  const values = Object.fromEntries(['kind', 'invoiceId', 'date', 'time', 'reason'].map((k) => [k, typeof form[k as keyof typeof form] === 'string' ? String(form[k as keyof typeof form]) : '']));
  const parsed = DeadlineForm.safeParse(form);
  if (!parsed.success) return page(c, app, { values, errors: fieldErrors(parsed.error) }, 422);
  const change = parsed.data;
  if (!mayChange(c, change.kind)) throw new HTTPException(403);
  const running = (await runningDeadlines(c.get('deps').db, app.id)).find((d) => d.kind === change.kind && (d.kind !== 'invoiceDue' || d.invoiceId === change.invoiceId));
  // The rule, asked first so the answer sits beside the field; the workflow's validator asks again.
  const verdict = canChangeDeadline({ caseClosed: isClosedStatus(app.status), current: running?.deadline ?? null, next: nextInstant(change), now: Date.now() });
  if (!verdict.ok) {
    const field = verdict.code === 'deadline-in-past' ? 'date' : 'kind';
    return page(c, app, { values, errors: { [field]: `refusals.${verdict.code}` } }, 422);
  }
  const actorId = c.get('user')!.id;
  const result = whenReached(
    await caseCommands.changeDeadline(c.get('deps').temporal, app.workflowId, { kind: change.kind, deadline: change.deadline, invoiceId: change.invoiceId, actorId }),
  );
  if (!result.ok) return page(c, app, { values, refusal: result.code }, 409);
  await recordAudit(c.get('deps').db, { actorId, action: 'caseAction', applicationId: app.id, caseNumber: app.caseNumber, reason: `deadline ${change.kind}: ${change.reason}` });
  return c.redirect(`/personal/ansokningar/${app.caseNumber}?tidsfrist=andrad`, 303);
}

/** An invoice's due day counts as passed only once the whole day has. */
function nextInstant(change: { kind: DeadlineKind; deadline: string }): string {
  return change.kind === 'invoiceDue' ? new Date(Date.parse(`${change.deadline}T00:00:00Z`) + 86_400_000).toISOString() : change.deadline;
}

export type { RunningDeadline };
