// One anonymous chat conversation (R10.3–R10.5): it waits in the queue until a counsellor on duty
// takes it (assign), may pass to a colleague (handOver), is closed by the visitor, the counsellor,
// a block or inactivity, and finally loses its transcript under the retention rule. Messages never
// pass through here: the workflow reads the conversation's row through activities when its timers
// fire (a silent visitor is asked, then let go). State holds ids, ISO times and codes only.
import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { acts } from './activities';
import { handlerRuntime } from './runtime';
import {
  assignUpdate,
  chatStateQuery,
  closeUpdate,
  handOverUpdate,
  type AssignResult,
  type ChatCloseReason,
  type ChatConversationInput,
  type ChatConversationState,
  type CloseResult,
  type HandOverResult,
} from './chatConversation.messages';

/** Start afresh (same state) when the history grows past this. */
export const CHAT_HISTORY_LIMIT = 2000;

const CLOSE_REASONS: readonly string[] = ['visitor', 'counsellor', 'blocked'];

function requireId(value: unknown, what: string): void {
  if (typeof value !== 'string' || !value) throw new Error(`${what} saknas`);
}

export async function chatConversation(input: ChatConversationInput): Promise<ChatConversationState> {
  const conversationId = input.conversationId;
  const now = () => new Date().toISOString();
  const state: ChatConversationState = input.state ?? {
    conversationId,
    status: 'waiting',
    counsellorId: null,
    askedAt: null,
    closedReason: null,
    transcriptDeleted: false,
    updatedAt: now(),
  };
  // One state change at a time: an update and the inactivity watch never act on the same stale state.
  const runtime = handlerRuntime(state, { alwaysYield: false });
  const { touch, exclusively } = runtime;
  const changedSinceNow = runtime.changedSinceNow;
  const markClosed = (reason: ChatCloseReason) => {
    state.status = 'closed';
    state.closedReason = reason;
    state.askedAt = null;
  };

  /** Read through a function: handlers change the status while the loop below awaits. */
  const isClosed = () => state.status === 'closed';

  setHandler(chatStateQuery, () => state);

  setHandler(
    assignUpdate,
    ({ counsellorId }) =>
      exclusively(async (): Promise<AssignResult> => {
        if (state.status !== 'waiting') return { ok: false, code: 'not-waiting' };
        const result = await acts.chatAssign({ conversationId, counsellorId });
        if (result.ok) {
          state.status = 'active';
          state.counsellorId = counsellorId;
          state.askedAt = null;
        }
        return result;
      }),
    { validator: ({ counsellorId }) => requireId(counsellorId, 'Rådgivare') },
  );

  setHandler(
    handOverUpdate,
    ({ fromCounsellorId, toCounsellorId }) =>
      exclusively(async (): Promise<HandOverResult> => {
        if (state.status !== 'active') return { ok: false, code: 'not-active' };
        if (state.counsellorId !== fromCounsellorId || fromCounsellorId === toCounsellorId) return { ok: false, code: 'not-yours' };
        const result = await acts.chatHandOver({ conversationId, fromCounsellorId, toCounsellorId, key: now() });
        if (result.ok) state.counsellorId = toCounsellorId;
        return result;
      }),
    {
      validator: ({ fromCounsellorId, toCounsellorId }) => {
        requireId(fromCounsellorId, 'Rådgivare');
        requireId(toCounsellorId, 'Kollega');
      },
    },
  );

  setHandler(
    closeUpdate,
    ({ by }) =>
      exclusively(async (): Promise<CloseResult> => {
        if (state.status === 'closed') return { ok: false, code: 'already-closed' };
        await acts.chatClose({ conversationId, reason: by });
        markClosed(by);
        return { ok: true };
      }),
    {
      validator: ({ by }) => {
        if (!CLOSE_REASONS.includes(by)) throw new Error('Okänd anledning');
      },
    },
  );

  // The inactivity watch: sleep until the rule's next instant, then read the row and act.
  while (!isClosed()) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? CHAT_HISTORY_LIMIT)) {
      await condition(() => !runtime.busy && allHandlersFinished());
      if (!isClosed()) await continueAsNew<typeof chatConversation>({ conversationId, state, historyLimit: input.historyLimit });
      continue;
    }
    const changed = changedSinceNow();
    const step = await acts.chatInactivityStep({ conversationId, askedAt: state.askedAt });
    if (changed() || isClosed()) continue; // an update ran meanwhile: read again
    switch (step.action) {
      case 'wait':
        await condition(changed, step.ms);
        break;
      case 'answered':
        state.askedAt = null;
        touch();
        break;
      case 'ask':
        await exclusively(async () => {
          if (state.status !== 'active' || state.askedAt) return;
          const { askedAt } = await acts.chatAskStillThere({ conversationId, key: now() });
          if (askedAt) state.askedAt = askedAt;
        });
        break;
      case 'close':
        await exclusively(async () => {
          if (isClosed()) return;
          const { closed } = await acts.chatCloseForInactivity({ conversationId, askedAt: state.askedAt });
          if (closed) markClosed('inactivity');
        });
        break;
      default:
        // The row is closed or gone while this state is not (never expected): wait for an update.
        await condition(changed);
    }
  }

  // Retention (R10.4): the transcript goes when the period social services set has passed.
  if (!state.transcriptDeleted) {
    const { deleteInMs } = await acts.chatRetentionDue({ conversationId });
    if (deleteInMs > 0) await sleep(deleteInMs);
    await acts.chatDeleteTranscript({ conversationId });
    state.transcriptDeleted = true;
    touch();
  }
  await condition(allHandlersFinished);
  return state;
}
