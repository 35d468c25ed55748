// The chat conversation workflow's side effects (R10.3–R10.5): assignment, hand-over, closing,
// the inactivity questions and the retention deletion. Inputs and results are ids, ISO times and
// codes only: no message and no visitor key enters Temporal history. Each change nudges the
// in-process hub; streams in other processes see it at their next periodic re-read.
import type { Db } from '../lib/db';
import type { ChatCloseReason } from '../workflows/chatConversation.messages';
import { chatHub, QUEUE_CHANNEL, type ChatHub } from '../lib/chat/hub';
import { conversationChannel } from '../lib/chat/conversations';
import {
  askStillThere,
  assignConversation,
  closeConversation,
  closeForInactivity,
  deleteTranscript,
  handOverConversation,
  inactivityStepNow,
  retentionDueIn,
} from '../lib/chat/chatStore';

export function createChatActivities({ db }: { db: Db }, hub: ChatHub = chatHub) {
  const nudge = (conversationId: string, queue = false) => {
    hub.nudge(conversationChannel(conversationId));
    if (queue) hub.nudge(QUEUE_CHANNEL);
  };
  return {
    async chatAssign(input: { conversationId: string; counsellorId: string }) {
      const result = await assignConversation(db, input);
      if (result.ok) nudge(input.conversationId, true);
      return result;
    },

    async chatHandOver(input: { conversationId: string; fromCounsellorId: string; toCounsellorId: string; key: string }) {
      const result = await handOverConversation(db, input);
      if (result.ok) nudge(input.conversationId, true);
      return result;
    },

    async chatClose(input: { conversationId: string; reason: Exclude<ChatCloseReason, 'inactivity'> }): Promise<void> {
      await closeConversation(db, input);
      nudge(input.conversationId, true);
    },

    async chatInactivityStep(input: { conversationId: string; askedAt: string | null }) {
      return inactivityStepNow(db, input);
    },

    async chatAskStillThere(input: { conversationId: string; key: string }) {
      const result = await askStillThere(db, input);
      if (result.askedAt) nudge(input.conversationId);
      return result;
    },

    async chatCloseForInactivity(input: { conversationId: string; askedAt: string | null }) {
      const result = await closeForInactivity(db, input);
      if (result.closed) nudge(input.conversationId, true);
      return result;
    },

    async chatRetentionDue(input: { conversationId: string }) {
      return retentionDueIn(db, input);
    },

    async chatDeleteTranscript(input: { conversationId: string }) {
      const result = await deleteTranscript(db, input);
      nudge(input.conversationId);
      return result;
    },
  };
}
