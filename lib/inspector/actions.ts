// A supervisor acts on a stuck case (R9.4): resend the last notice, put the case back in the queue,
// or cancel it. The workflow decides whether the action applies; the supervisor's reason is free
// text and never goes to Temporal: it is written as a case event and to the audit trail, and only
// once the action took effect.
import { z } from 'zod';
import type { Deps } from '../deps';
import { recordAudit } from '../audit/auditTrail';
import * as caseCommands from '../commands/case';
import { resendLastNotice } from './notices';

export const INSPECTOR_ACTIONS = ['resend', 'moveToQueue', 'cancel'] as const;
export type InspectorAction = (typeof INSPECTOR_ACTIONS)[number];

/** The address segment of each action's confirmation page. */
export const ACTION_PATHS: Record<InspectorAction, string> = { resend: 'skicka-igen', moveToQueue: 'till-ko', cancel: 'avsluta' };

/** The case event each action leaves (its data holds the reason). */
export const ACTION_EVENTS: Record<InspectorAction, string> = {
  resend: 'inspector.noticeResent',
  moveToQueue: 'inspector.movedToQueue',
  cancel: 'inspector.cancelled',
};

export const ACTION_OUTCOMES = ['resent', 'nothingToResend', 'moved', 'notMovable', 'cancelled', 'notCancellable', 'unavailable'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];
export const SUCCESSFUL_OUTCOMES: readonly ActionOutcome[] = ['resent', 'moved', 'cancelled'];


export const REASON_MAX = 300;
export const ActionReasonSchema = z.object({
  reason: z
    .string({ error: 'inspector.errors.reason' })
    .trim()
    .min(5, { error: 'inspector.errors.reason' })
    .max(REASON_MAX, { error: 'inspector.errors.reasonTooLong' }),
});

export interface ActedCase {
  id: string;
  caseNumber: string;
  workflowId: string;
}

export async function takeAction(
  deps: Deps,
  app: ActedCase,
  action: InspectorAction,
  actorId: string,
  reason: string,
): Promise<ActionOutcome> {
  let outcome: ActionOutcome;
  let eventId: string | undefined;
  let data: Record<string, string> = {};
  if (action === 'resend') {
    const sent = await resendLastNotice(deps, app.id);
    if (!sent.ok) return 'nothingToResend';
    [outcome, eventId, data] = ['resent', sent.eventId, { notice: sent.notice }];
  } else {
    const result =
      action === 'moveToQueue'
        ? await caseCommands.moveToQueue(deps.temporal, app.workflowId, { actorId })
        : await caseCommands.withdraw(deps.temporal, app.workflowId, { actorId, byStaff: true });
    // Closed, gone, or not answering: the page says so; nothing is recorded.
    if (!result.ok && (result.code === 'unreachable' || result.code === 'not-started' || result.code === 'case-closed')) return 'unavailable';
    outcome = result.ok ? (action === 'moveToQueue' ? 'moved' : 'cancelled') : action === 'moveToQueue' ? 'notMovable' : 'notCancellable';
    if (!SUCCESSFUL_OUTCOMES.includes(outcome)) return outcome;
  }
  await deps.db.$transaction(async (tx) => {
    await tx.caseEvent.create({
      data: { ...(eventId ? { id: eventId } : {}), applicationId: app.id, type: ACTION_EVENTS[action], actor: actorId, data: { reason, ...data } },
    });
    await recordAudit(tx, { actorId, action: 'caseAction', applicationId: app.id, caseNumber: app.caseNumber, reason: `${action}: ${reason}` });
  });
  return outcome;
}
