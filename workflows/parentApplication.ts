// A parent's application to a district group course or the web course (R2, R4.1).
// The workflow owns the process; every side effect is an activity.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  decideUpdate,
  statusQuery,
  type DecideInput,
  type DecideResult,
  type NoticeKind,
  type ParentApplicationInput,
  type ParentApplicationState,
} from './parentApplication.messages';
import { CaseStatusKey } from './searchAttributes';

const { sendCaseNotice, applyDecision } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function parentApplication(input: ParentApplicationInput): Promise<ParentApplicationState> {
  const state: ParentApplicationState = input.state ?? {
    caseNumber: input.caseNumber,
    status: 'submitted',
    courseId: input.courseId,
    waitingFor: 'confirmation',
    queuePosition: null,
    offer: null,
    done: [],
    surveyReminders: [],
    decisions: 0,
    noticesSent: [],
    updatedAt: new Date().toISOString(),
  };
  const pendingNotices: { kind: NoticeKind; step: string }[] = [];
  let deciding = false;

  setHandler(statusQuery, () => state);

  setHandler(
    decideUpdate,
    async ({ decision, actorId }: DecideInput): Promise<DecideResult> => {
      // One decision at a time: capacity is checked against the previous one's result.
      await condition(() => !deciding);
      if (!canDecide(state, decision)) return { ok: false, code: 'not-decidable' };
      deciding = true;
      try {
        const step = `decision-${state.decisions + 1}`;
        const result = await applyDecision({
          caseNumber: state.caseNumber,
          applicationId: input.applicationId,
          decision,
          actorId,
          dedupeKey: `${workflowInfo().workflowId}:${step}`,
        });
        if (result.ok) {
          state.decisions += 1;
          state.status = result.status;
          state.queuePosition = result.queuePosition;
          state.waitingFor = 'notice';
          state.updatedAt = new Date().toISOString();
          upsertSearchAttributes([{ key: CaseStatusKey, value: state.status }]);
          pendingNotices.push({ kind: result.status === 'admitted' ? 'admitted' : 'queued', step });
        }
        return result;
      } finally {
        deciding = false;
      }
    },
    {
      validator: ({ decision }: DecideInput) => {
        if (decision !== 'admit' && decision !== 'queue') throw new Error('Okänt beslut');
      },
    },
  );

  if (!state.noticesSent.includes('confirmation')) {
    await notify({ kind: 'confirmation', step: 'confirmation' });
  }
  if (state.status === 'submitted' || state.status === 'queued') state.waitingFor = 'decision';

  for (;;) {
    await condition(() => pendingNotices.length > 0 || workflowInfo().continueAsNewSuggested);
    while (pendingNotices.length > 0) {
      await notify(pendingNotices[0]);
      pendingNotices.shift();
    }
    state.waitingFor = state.status === 'admitted' ? 'nextSession' : 'decision';
    if (workflowInfo().continueAsNewSuggested && !deciding) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof parentApplication>({ ...input, state });
    }
  }

  async function notify(notice: { kind: NoticeKind; step: string }): Promise<void> {
    await sendCaseNotice({
      caseNumber: state.caseNumber,
      applicationId: input.applicationId,
      notice: notice.kind,
      // Distinct from the decision's key: a notice and its decision are two case events.
      idempotencyKey: `${workflowInfo().workflowId}:notice-${notice.step}`,
    });
    state.noticesSent.push(notice.kind);
    state.updatedAt = new Date().toISOString();
  }
}

/** A new application can be admitted or queued; a queued one can later be admitted. */
function canDecide(state: ParentApplicationState, decision: DecideInput['decision']): boolean {
  if (state.status === 'submitted') return true;
  return state.status === 'queued' && decision === 'admit';
}
